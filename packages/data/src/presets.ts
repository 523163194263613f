import type { Augmentation, Normalization } from './types.js';

/**
 * Per-channel statistics of each training set (pixels scaled to [0, 1]). Fashion-MNIST and
 * MNIST were computed here from the official training files; CIFAR and ImageNet are the
 * published values (the CIFAR std is the dataset std, not the often-copied per-image 0.2023).
 */
export const NORMALIZATION = {
  fashionMnist: { mean: [0.286], std: [0.353] },
  mnist: { mean: [0.1307], std: [0.3081] },
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
  cifar100: { mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762] },
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
} as const satisfies Record<string, Normalization>;

/** torchvision's RandomResizedCrop defaults, as AttentiveNAS trains on ImageNet. */
export const IMAGENET_TRAIN_AUGMENTATION: Augmentation = {
  kind: 'random-resized-crop',
  scale: [0.08, 1],
  ratio: [3 / 4, 4 / 3],
  flip: true,
};

/** Resize the shorter side to resolution / 0.875, centre crop (256 -> 224 at 224). */
export const IMAGENET_EVAL_AUGMENTATION: Augmentation = {
  kind: 'center-crop',
  cropFraction: 0.875,
  flip: false,
};

/**
 * Fashion-MNIST: pad by 2 and take a random 28 px crop, with flips (clothes are left-right
 * symmetric, so flips preserve the label). Random-resized crops of a 28 px image throw away
 * too much of it for short runs: in 150-step runs they trained markedly slower.
 */
export const FASHION_MNIST_TRAIN_AUGMENTATION: Augmentation = {
  kind: 'pad-crop',
  padding: 2,
  flip: true,
};

/**
 * MNIST: digits are centred in a 20 px box and flipping changes meaning (2 vs 5), so a small
 * shift (pad 2, crop 28) and no flip.
 */
export const MNIST_TRAIN_AUGMENTATION: Augmentation = { kind: 'pad-crop', padding: 2, flip: false };

/** The standard CIFAR recipe: pad 4, random 32 px crop, flip. */
export const CIFAR_TRAIN_AUGMENTATION: Augmentation = { kind: 'pad-crop', padding: 4, flip: true };

/** Small square images are evaluated whole, resized to the resolution (no centre crop). */
export const SMALL_IMAGE_EVAL_AUGMENTATION: Augmentation = {
  kind: 'center-crop',
  cropFraction: 1,
  flip: false,
};
