export { imageBoxToGrid } from './box-to-grid.js';
export { type PairFeatures, type PoolBoxesOptions, poolBoxes, poolPairFeatures } from './pool-boxes.js';
export { type RoiAlignOptions, roiAlign } from './roi-align.js';
export { assertTokenGrid, type TokenGrid } from './token-grid.js';
