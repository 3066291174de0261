/** Paths inside the EPUB's ZIP: package hrefs are URLs relative to the file that holds them. */

/** The folder of a ZIP entry path, with its trailing slash ("" at the root). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** The last segment of a path, for naming a chapter that has no better title. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The ZIP entry an href points at from `baseFolder`: fragment and query dropped, percent-escapes
 * decoded, "." and ".." resolved. Absolute hrefs start from the container root.
 */
export function resolveHref(baseFolder: string, href: string): string {
  const bare = href.replace(/[#?].*$/, '');
  const joined = bare.startsWith('/') ? bare.slice(1) : baseFolder + bare;
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(decode(segment));
  }
  return out.join('/');
}
