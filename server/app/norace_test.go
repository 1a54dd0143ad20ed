//go:build !race

package app_test

const boundScale = 1
