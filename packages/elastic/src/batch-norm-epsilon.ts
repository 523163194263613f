/** The reference's `bn_eps`. */
export const batchNormEpsilon = 1e-5;
