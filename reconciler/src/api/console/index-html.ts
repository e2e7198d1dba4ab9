/**
 * The console's one page. No inline script or style: the CSP allows only this origin's files.
 * Every `/ui/...` address answers with it; the script reads the address and shows that view.
 */
export const indexHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>telform console</title>
<link rel="stylesheet" href="/ui/assets/app.css">
<script type="module" src="/ui/assets/app.js"></script>
</head>
<body>
<div id="app"><noscript>The telform console needs JavaScript.</noscript></div>
</body>
</html>
`;
