// The API key stays in this browser (localStorage), sent as a Bearer header on each call.
const STORAGE_KEY = 'framefarm.apiKey';

export const storedKey = (): string | null => window.localStorage.getItem(STORAGE_KEY);
export const storeKey = (key: string) => window.localStorage.setItem(STORAGE_KEY, key);
export const forgetKey = () => window.localStorage.removeItem(STORAGE_KEY);
