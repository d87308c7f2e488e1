/**
 * numpy's pairwise summation of a float64 array (`np.sum` on a contiguous array): blocks of 8
 * partial sums up to 128 elements, halves above. Reproduced so sums agree bit for bit.
 */
export function numpyPairwiseSum(a: Float64Array, from = 0, n = a.length - from): number {
  if (n < 8) {
    let res = 0;
    for (let k = 0; k < n; k++) res += a[from + k]!;
    return res;
  }
  if (n <= 128) {
    const r = [
      a[from]!,
      a[from + 1]!,
      a[from + 2]!,
      a[from + 3]!,
      a[from + 4]!,
      a[from + 5]!,
      a[from + 6]!,
      a[from + 7]!,
    ];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[from + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[from + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpyPairwiseSum(a, from, n2) + numpyPairwiseSum(a, from + n2, n - n2);
}

/**
 * All-point VOC AP as V-COCO's `voc_ap` computes it: sentinels (0, rec, 1) and (0, prec, 0), the
 * precision envelope, then sum over recall changes of delta-recall x precision (numpy pairwise sum).
 * `rec` and `prec` are the ranked curves (float32 values already rounded by the caller if mirroring).
 */
export function vocAllPointAp(rec: ArrayLike<number>, prec: ArrayLike<number>): number {
  const n = rec.length;
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  for (let k = 0; k < n; k++) {
    mrec[k + 1] = rec[k]!;
    mpre[k + 1] = prec[k]!;
  }
  mrec[n + 1] = 1;
  for (let k = n + 1; k > 0; k--) mpre[k - 1] = Math.max(mpre[k - 1]!, mpre[k]!);
  const terms = new Float64Array(n + 1);
  let m = 0;
  for (let k = 0; k < n + 1; k++) {
    if (mrec[k + 1] !== mrec[k]) terms[m++] = (mrec[k + 1]! - mrec[k]!) * mpre[k + 1]!;
  }
  return numpyPairwiseSum(terms, 0, m);
}
