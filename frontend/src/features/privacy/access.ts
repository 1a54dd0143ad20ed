export const MY_DATA_PATH = '/mijn-gegevens';
export const PRIVACY_ADMIN_PATH = '/beheer/privacy';
