// CloudFront Function (cloudfront-js-2.0), viewer request on /console/*.
// The console is a single-page app: any path without a file extension is a client-side
// route and gets the app shell; real files (hashed assets, favicon) pass through.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront invokes `handler` by name
function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.split('/').pop();
  if (lastSegment === '' || lastSegment.indexOf('.') === -1) {
    request.uri = '/console/index.html';
  }
  return request;
}
