export {
  type BatchIterator,
  type BatchIteratorOptions,
  type BatchIteratorState,
  createBatchIterator,
  type EpochBatch,
} from './batch-iterator.js';
export { CIFAR10_CLASS_NAMES, type LoadCifarOptions, loadCifar } from './cifar.js';
export { centerCropBox, padCropBox, randomResizedCropBox } from './crop-box.js';
export { deriveRng } from './derive-rng.js';
export {
  DatasetError,
  DatasetFormatError,
  DatasetNotFoundError,
  EmptyClassFolderError,
  ImageDecodeError,
  InvalidDataOptionError,
} from './errors.js';
export {
  FASHION_MNIST_CLASS_NAMES,
  type LoadFashionMnistOptions,
  loadFashionMnist,
} from './fashion-mnist/load-fashion-mnist.js';
export { type IdxArray, parseIdx, readIdxFile } from './idx.js';
export {
  type CachedImages,
  defaultCacheDir,
  readImageCache,
  writeImageCache,
} from './image-cache.js';
export { type LoadImageFolderOptions, loadImageFolder } from './image-folder.js';
export { createInMemoryDataset, type InMemoryDatasetSpec } from './in-memory-dataset.js';
export { type LoadMnistOptions, loadMnist } from './mnist.js';
export {
  CIFAR_TRAIN_AUGMENTATION,
  FASHION_MNIST_TRAIN_AUGMENTATION,
  IMAGENET_EVAL_AUGMENTATION,
  IMAGENET_TRAIN_AUGMENTATION,
  MNIST_TRAIN_AUGMENTATION,
  NORMALIZATION,
  SMALL_IMAGE_EVAL_AUGMENTATION,
} from './presets.js';
export {
  type CropBox,
  resizeBilinear,
  type SampleOptions,
  sampleBilinear,
} from './sample-bilinear.js';
export { type TransformOptions, transformExamples } from './transform-examples.js';
export type {
  Augmentation,
  Batch,
  Dataset,
  DatasetSplit,
  Normalization,
  RawExamples,
  RawImage,
  ReadBatchOptions,
} from './types.js';
