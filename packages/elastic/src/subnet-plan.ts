import {
  type ArchConfig,
  type BlockLayout,
  describeSubnet,
  type SubnetLayout,
} from '@supernas/search-space';
import type { SupernetBlockLayout, SupernetLayout } from './supernet-layout.js';

/** One block of a subnet (shapes from `describeSubnet`) and the supernet block it slices. */
export interface ActiveBlock extends BlockLayout {
  /** The block of the largest subnet whose shared weights this block uses. */
  readonly supernetBlock: SupernetBlockLayout;
}

/** Everything the forward pass and the extractor need to know about one arch. */
export interface SubnetPlan extends SubnetLayout {
  readonly arch: ArchConfig;
  readonly blocks: readonly ActiveBlock[];
}

/**
 * The active part of the supernet for `arch`: the layer shapes `describeSubnet` gives (the rules
 * FLOPs counting uses too), each block paired with the block of the supernet it runs on, the
 * first `depth[s]` of stage `s`. Throws `InvalidArchError` for an arch outside the layout's space.
 */
export function planSubnet(layout: SupernetLayout, arch: ArchConfig): SubnetPlan {
  const subnet = describeSubnet(layout.space, arch, { inputChannels: layout.inputChannels });
  const blocks = subnet.blocks.map((block): ActiveBlock => {
    const index = layout.stageBlocks[block.stage]?.[block.layer] as number;
    return { ...block, supernetBlock: layout.blocks[index] as SupernetBlockLayout };
  });
  return { ...subnet, arch, blocks };
}
