export const formatBytes = (bytes: number | null): string => {
	if (bytes === null) {
		return '–';
	}
	const units = ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
};

export const formatSeconds = (seconds: number): string => (seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`);

export const formatAge = (since: number, now = Date.now()): string => {
	const seconds = Math.max(0, Math.round((now - since) / 1000));
	if (seconds < 60) {
		return `${seconds} s ago`;
	}
	if (seconds < 3600) {
		return `${Math.floor(seconds / 60)} min ago`;
	}
	if (seconds < 86_400) {
		return `${Math.floor(seconds / 3600)} h ago`;
	}
	return `${Math.floor(seconds / 86_400)} d ago`;
};

export const formatCost = (dollars: number): string => `$${dollars < 0.01 ? dollars.toFixed(5) : dollars.toFixed(3)}`;

export const percent = (fraction: number): string => `${Math.round(fraction * 100)}%`;
