import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  enableNativeBackend,
  isNativeAvailable,
  nativeUnavailableReason,
} from '@supernas/backend-native';

if (isNativeAvailable()) {
  const info = enableNativeBackend({ threads: 2 }); // registers 'native'; no import side effects
  await tf.setBackend('native');
  console.log(`oneDNN ${info.onednn} (${info.isa}), ${info.threads} threads`);
} else {
  console.warn(`native backend unavailable: ${nativeUnavailableReason()}`);
}
