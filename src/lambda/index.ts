// framefarm/lambda: @remotion/lambda's functions on a farm. The light client's, and those that
// need Node and the bundler (deploying a site). Functions about AWS itself (deployFunction(),
// getRegions(), IAM policies) have no farm counterpart.
export * from './client.js';
export {deleteSite, type DeleteSiteInput} from './delete-site.js';
export {deploySite, type DeploySiteInput, type DeploySiteOutput} from './deploy-site.js';
export {getOrCreateBucket} from './get-or-create-bucket.js';
