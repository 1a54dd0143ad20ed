package demo_test

const testIssuer = "https://idp.test"
