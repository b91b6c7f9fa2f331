import net from 'node:net';

/** Where an IP address points, for the rendered page's network policy. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

const ranges = (kind: AddressKind, subnets: Array<[string, number, 'ipv4' | 'ipv6']>): [AddressKind, net.BlockList] => {
	const list = new net.BlockList();
	for (const [address, prefix, family] of subnets) {
		list.addSubnet(address, prefix, family);
	}
	return [kind, list];
};

const NON_PUBLIC: Array<[AddressKind, net.BlockList]> = [
	ranges('loopback', [
		['127.0.0.0', 8, 'ipv4'],
		['::1', 128, 'ipv6'],
	]),
	ranges('private', [
		['10.0.0.0', 8, 'ipv4'],
		['172.16.0.0', 12, 'ipv4'],
		['192.168.0.0', 16, 'ipv4'],
		// Carrier-grade NAT: private to the provider's network.
		['100.64.0.0', 10, 'ipv4'],
		['fc00::', 7, 'ipv6'],
		['fec0::', 10, 'ipv6'],
	]),
	// 169.254.169.254 is the cloud metadata service.
	ranges('link-local', [
		['169.254.0.0', 16, 'ipv4'],
		['fe80::', 10, 'ipv6'],
	]),
	ranges('reserved', [
		['0.0.0.0', 8, 'ipv4'],
		['192.0.0.0', 24, 'ipv4'],
		['198.18.0.0', 15, 'ipv4'],
		['224.0.0.0', 4, 'ipv4'],
		['240.0.0.0', 4, 'ipv4'],
		['::', 128, 'ipv6'],
		['ff00::', 8, 'ipv6'],
	]),
];

// ::ffff:127.0.0.1 and friends reach the IPv4 address they embed.
const embeddedIpv4 = (address: string): string | null => {
	const match = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (match) {
		return match[1]!;
	}
	const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
	if (hex) {
		const high = parseInt(hex[1]!, 16);
		const low = parseInt(hex[2]!, 16);
		return [high >> 8, high & 255, low >> 8, low & 255].join('.');
	}
	return null;
};

/** The kind of an IPv4 or IPv6 address (brackets allowed); null when it is not an IP address. */
export const addressKind = (input: string): AddressKind | null => {
	const address = input.replace(/^\[|\]$/g, '');
	const family = net.isIP(address);
	if (family === 0) {
		return null;
	}
	const v4 = family === 6 ? embeddedIpv4(address) : null;
	const [checked, type] = v4 === null ? [address, family === 4 ? 'ipv4' : 'ipv6'] : [v4, 'ipv4'];
	for (const [kind, list] of NON_PUBLIC) {
		if (list.check(checked, type as 'ipv4' | 'ipv6')) {
			return kind;
		}
	}
	return 'public';
};
