import { exposeSearchWorker } from '@supernas/evaluator/search-worker';

// When @supernas/predictors lands: exposeSearchWorker({ loadPredictor }) lets searches score
// archs drawn from the whole space, not only the run's exported subnets.
exposeSearchWorker();
