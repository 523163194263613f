// ml-cart ships no type declarations; these cover what gradient-boosting.ts uses.
declare module 'ml-cart' {
  export interface DecisionTreeRegressionOptions {
    readonly maxDepth?: number;
    readonly minNumSamples?: number;
    readonly gainFunction?: 'regression';
    readonly splitFunction?: 'mean';
  }

  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeRegressionOptions);
    root: unknown;
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
