// A site's name: what `sites create --site-name` takes and serve URLs end in. Its own file: the
// browser-safe clients need it without the rest of the site code.
export const SITE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
