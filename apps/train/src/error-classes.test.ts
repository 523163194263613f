import * as backendNative from '@supernas/backend-native';
import * as data from '@supernas/data';
import * as distributed from '@supernas/distributed';
import * as distributedTfjs from '@supernas/distributed/tfjs';
import * as elastic from '@supernas/elastic';
import * as elasticNode from '@supernas/elastic/node';
import { SupernasError } from '@supernas/errors';
import * as flops from '@supernas/flops';
import * as losses from '@supernas/losses';
import * as predictors from '@supernas/predictors';
import * as predictorsMlp from '@supernas/predictors/mlp';
import * as samplers from '@supernas/samplers';
import * as search from '@supernas/search';
import * as searchSpace from '@supernas/search-space';
import * as trainer from '@supernas/trainer';
import * as wasmBackprop from '@supernas/wasm-backprop';
import { describe, expect, it } from 'vitest';
import * as backend from './backend.js';
import * as cliUsage from './cli-usage-error.js';
import * as runFile from './run/run-file-error.js';
import * as config from './train/config.js';

const modules: Record<string, Record<string, unknown>> = {
  '@supernas/search-space': searchSpace,
  '@supernas/flops': flops,
  '@supernas/samplers': samplers,
  '@supernas/losses': losses,
  '@supernas/elastic': elastic,
  '@supernas/elastic/node': elasticNode,
  '@supernas/data': data,
  '@supernas/trainer': trainer,
  '@supernas/predictors': predictors,
  '@supernas/predictors/mlp': predictorsMlp,
  '@supernas/search': search,
  '@supernas/wasm-backprop': wasmBackprop,
  '@supernas/backend-native': backendNative,
  '@supernas/distributed': distributed,
  '@supernas/distributed/tfjs': distributedTfjs,
  'apps/train': { ...backend, ...cliUsage, ...config, ...runFile },
};

type ErrorClass = abstract new (...args: never[]) => Error;

function exportedErrorClasses(): Array<[string, ErrorClass]> {
  return Object.entries(modules).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter(
        (entry): entry is [string, ErrorClass] =>
          typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
      )
      .map(([name, errorClass]): [string, ErrorClass] => [`${module} ${name}`, errorClass]),
  );
}

const arch = searchSpace.minArch(searchSpace.tinySpace);
const node = { kind: 'add', inputs: ['a', 'b'], output: 'c' } as const;
const collectiveFailure = {
  rank: 0,
  size: 2,
  operation: 'allreduce',
  sequence: 4,
  seconds: 30,
  missingRanks: [1],
  lastSeen: [4, 3],
};

// One instance of every error class, made as its throw sites make it, with its stable code.
const instances: Array<[Error, string]> = [
  [new searchSpace.InvalidArchError('depth is 9', { field: 'depth', value: 9 }), 'invalid_arch'],
  [new searchSpace.UnknownSearchSpaceError('ofa', ['tiny']), 'unknown_search_space'],
  [new searchSpace.ArchEncodingError('too short', [0.5], 31), 'arch_encoding'],
  [
    new searchSpace.SearchSpaceOptionError('createRng', 'seed', Number.NaN, 'a finite number'),
    'search_space_option',
  ],
  [new flops.FlopsOptionError('countFlops', 'numClasses', 0, 'a positive integer'), 'flops_option'],
  [new samplers.SamplerError('sandwich', 'middle', -1, 'a non-negative integer'), 'sampler'],
  [new losses.LossArgumentError('klDivergence', 'temperature', 0, 'positive'), 'loss_argument'],
  [new elastic.InputShapeError('rank 3', [1, 2, 3], [null, 24, 24, 3]), 'input_shape'],
  [new elastic.ElasticOptionError('dropout', 2, 'a rate in [0, 1)'), 'elastic_option'],
  [new elastic.MissingWeightError('stem.conv.weight', 'is missing'), 'missing_weight'],
  [new elastic.DisposedError('Supernet'), 'disposed'],
  [new elastic.GradientRegistrationError(['@tensorflow/tfjs: not found']), 'gradient_registration'],
  [new elastic.StaticGraphError(node, 'input a is not produced'), 'static_graph'],
  [new elastic.CheckpointError('not a checkpoint', {}, 'a supernas checkpoint'), 'checkpoint'],
  [new elastic.CorruptWeightsError('truncated', 'weights.bin', 10, 12), 'corrupt_weights'],
  [new elastic.IoHandlerError('no handler for nope://x', 'nope://x'), 'io_handler'],
  [new elastic.TorchImportError('missing', 'no key a.weight', { key: 'a.weight' }), 'torch_import'],
  [new elasticNode.ModelFileError('cannot read model.json', '/x/model.json'), 'model_file'],
  [new data.DatasetError('bad dataset'), 'dataset'],
  [new data.DatasetNotFoundError('/x', 'image folder'), 'dataset_not_found'],
  [new data.DatasetFormatError('/x/t10k', 'bad magic'), 'dataset_format'],
  [new data.EmptyClassFolderError('/x/train/ant'), 'empty_class_folder'],
  [new data.ImageDecodeError('/x/a.png', new Error('corrupt')), 'image_decode'],
  [new data.InvalidDataOptionError('batchSize', 0, 'a positive integer'), 'invalid_data_option'],
  [new trainer.TrainerConfigError('momentum', 1, 'a number in [0, 1)'), 'trainer_config'],
  [
    new runFile.RunFileError('Cannot resume: no checkpoint', '/x/checkpoint/model.json'),
    'run_file',
  ],
  [new trainer.NonFiniteLossError(3, 0, 'max', arch, Number.NaN), 'non_finite_loss'],
  [new trainer.NonFiniteWeightsError(3, 'stem.conv.weight', Number.NaN), 'non_finite_weights'],
  [
    new wasmBackprop.UnsupportedConvolutionError('Conv2DBackpropFilter', 'dilations', 2, '1'),
    'unsupported_convolution',
  ],
  [new backendNative.NativeBackendUnavailableError('no addon'), 'native_backend_unavailable'],
  [
    new backendNative.InvalidNativeOptionError('threads', 0, 'an integer >= 1'),
    'invalid_native_option',
  ],
  [new backendNative.FusedKernelInputError('SupernasSwish', [[2]]), 'fused_kernel_input'],
  [
    new backendNative.StaticSubnetUnsupportedError('a conv2d with dilation 2'),
    'static_subnet_unsupported',
  ],
  [
    new predictors.PredictorError('predictor of space attentivenas, expected tiny', {
      code: 'predictor_space_mismatch',
      value: 'attentivenas',
    }),
    'predictor_space_mismatch',
  ],
  [
    new search.SearchError('the smallest arch has 203.39 MFLOPs', {
      code: 'budget_infeasible',
      value: 100,
    }),
    'budget_infeasible',
  ],
  [new distributed.MpiUnavailableError('the addon is not built'), 'mpi_unavailable'],
  [
    new distributed.InvalidCollectiveArgumentError('allreduce', 'data', 3, 'a Float32Array'),
    'invalid_collective_argument',
  ],
  [new distributed.CollectiveStateError('allreduce after close()'), 'collective_state'],
  [new distributed.CollectiveTimeoutError(collectiveFailure), 'collective_timeout'],
  [new distributed.CollectiveFailedError(collectiveFailure, 'peer lost'), 'collective_failed'],
  [new config.ConfigError('a.yaml', [{ path: 'seed', message: 'expected number' }]), 'config'],
  [new backend.BackendUnavailableError('native', 'no addon', 'build it'), 'backend_unavailable'],
  [new cliUsage.CliUsageError('give --arch'), 'cli_usage'],
];

describe('error classes', () => {
  it('derive from SupernasError in every package', () => {
    const classes = exportedErrorClasses();
    expect(classes.length).toBeGreaterThanOrEqual(instances.length);
    const plain = classes
      .filter(([, errorClass]) => !(errorClass.prototype instanceof SupernasError))
      .map(([name]) => name);
    expect(plain).toEqual([]);
  });

  it('have an instance below for every exported class', () => {
    const covered = new Set(instances.map(([error]) => error.constructor));
    const missing = exportedErrorClasses()
      .filter(([, errorClass]) => !covered.has(errorClass))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it.each(instances.map(([error, code]) => [error.name, error, code] as const))(
    '%s is a SupernasError with its own name and a stable code',
    (name, error, code) => {
      expect(SupernasError.isInstance(error)).toBe(true);
      expect(SupernasError.hasCode(error, code)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
      expect(name).toMatch(/Error$/);
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.message).not.toContain('\n');
    },
  );

  it('use each code once', () => {
    const codes = instances.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
