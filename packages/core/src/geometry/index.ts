export * from './box.js';
export * from './iou.js';
export * from './letterbox.js';
export * from './nms.js';
