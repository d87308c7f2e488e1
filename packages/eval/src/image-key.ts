/**
 * Images are matched by file name: predictions may carry a path (`/data/hico/HICO_test2015_00000001.jpg`)
 * or a bare name, so both sides are reduced to the basename.
 */
export function imageKey(name: string): string {
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return slash >= 0 ? name.slice(slash + 1) : name;
}
