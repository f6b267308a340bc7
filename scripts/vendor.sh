#!/usr/bin/env bash
# Refresh the vendored front-end packages from the npm registry at pinned versions.
# Usage: scripts/vendor.sh  (or `make vendor`); change the versions below to upgrade.
set -euo pipefail
GOVUK_FRONTEND_VERSION=6.6.0
MOJ_FRONTEND_VERSION=11.1.0

here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "govuk-frontend@$GOVUK_FRONTEND_VERSION" "@ministryofjustice/frontend@$MOJ_FRONTEND_VERSION" >/dev/null
mkdir govuk moj
tar xzf "govuk-frontend-$GOVUK_FRONTEND_VERSION.tgz" -C govuk
tar xzf "ministryofjustice-frontend-$MOJ_FRONTEND_VERSION.tgz" -C moj

rm -rf "$dest/govuk-frontend" "$dest/moj-frontend"
mkdir -p "$dest/govuk-frontend" "$dest/moj-frontend"
g=govuk/package/dist/govuk
cp "$g/govuk-frontend.min.css" "$g/govuk-frontend.min.js" "$dest/govuk-frontend/"
cp -r "$g/assets" "$dest/govuk-frontend/"
m=moj/package/moj
cp "$m/moj-frontend.min.css" "$m/moj-frontend.min.js" "$dest/moj-frontend/"
cp -r "$m/assets" "$dest/moj-frontend/" 2>/dev/null || true
cp govuk/package/LICENSE.txt "$dest/govuk-frontend/" 2>/dev/null || true
cp moj/package/LICENSE* "$dest/moj-frontend/" 2>/dev/null || true

# The stylesheets refer to /assets/ at the site root; point them at the files beside them
# so that whitenoise serves (and fingerprints) them from under /static/.
sed -i 's#url(/assets/#url(assets/#g' "$dest/govuk-frontend/govuk-frontend.min.css"
sed -i 's#url(/assets/#url(assets/#g' "$dest/moj-frontend/moj-frontend.min.css"
# Source maps are not shipped: drop the references so collectstatic does not look for them.
sed -i -E 's#/[/*]\# sourceMappingURL=[^ *]*( \*/)?##' "$dest"/*/*.min.css "$dest"/*/*.min.js

cat > "$dest/VERSIONS" <<VERSIONS
govuk-frontend $GOVUK_FRONTEND_VERSION
@ministryofjustice/frontend $MOJ_FRONTEND_VERSION
VERSIONS
echo "Vendored govuk-frontend $GOVUK_FRONTEND_VERSION and @ministryofjustice/frontend $MOJ_FRONTEND_VERSION into static/vendor/"
