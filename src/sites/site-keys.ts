/**
 * Where a site lives in the bucket: under its owner (a hash of the key that deployed it), so two
 * keys may each have a site of the same name. Files are stored by content, which makes a
 * deploy upload only what changed and any name in a project's public/ folder safe as a key.
 */
export const siteKeys = (owner: string, siteName: string) => {
	const prefix = `sites/${owner}/${siteName}/`;
	return {
		prefix,
		manifest: `${prefix}site.json`,
		filesPrefix: `${prefix}files/`,
		/** Each content in a folder of its own, which deletePrefix() removes. */
		contentFolder: (sha256: string) => `${prefix}files/${sha256}/`,
		content: (sha256: string) => `${prefix}files/${sha256}/data`,
	};
};

export const ownerSitesPrefix = (owner: string) => `sites/${owner}/`;

/** The owner of the sites every key may render (`sites create --shared`); owners are otherwise hex key hashes. */
export const SHARED_SITES = 'shared';
