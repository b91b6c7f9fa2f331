/** What a second of worker time costs, the way Lambda bills it: GB-seconds plus a per-invocation price. */
export type Pricing = {
	pricePerGbSecond: number;
	memoryGbPerWorker: number;
	pricePerInvocation: number;
};

export type Costs = {
	accruedSoFar: number;
	currency: 'USD';
	displayCost: string;
	disclaimer: string;
};

const DISCLAIMER =
	'Estimated from measured worker time at the configured price per GB-second; not a bill. Storage and traffic are not included.';

export const formatCost = (usd: number): string => (usd < 0.001 ? '<$0.001' : `$${usd.toFixed(3)}`);

export const estimateCost = ({busyMs, invocations, pricing}: {busyMs: number; invocations: number; pricing: Pricing}): Costs => {
	const usd = (busyMs / 1000) * pricing.memoryGbPerWorker * pricing.pricePerGbSecond + invocations * pricing.pricePerInvocation;
	const accruedSoFar = Math.round(usd * 1e9) / 1e9;
	return {accruedSoFar, currency: 'USD', displayCost: formatCost(accruedSoFar), disclaimer: DISCLAIMER};
};
