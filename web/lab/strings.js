// Every user-facing string of normlab (the lab logic, the page and the
// element), each key with its English and Simplified Chinese side by side.
// Keys are grouped by area (app, btn, cmp, err, label, layer, layout, page,
// pie, table, use, warn) and sorted within each area.
export const STRINGS = {
  'app.question': {
    en: "Is PyTorch’s LayerNorm over the last dimension the same as InstanceNorm?",
    zh: "PyTorch 中只对最后一个维度做归一化的 LayerNorm 与 InstanceNorm 一致吗?",
  },
  'app.subtitle': {
    en: "Try it on your own tensor: every number is computed live by the normlab WebAssembly kernels, with PyTorch’s semantics.",
    zh: "用你自己的张量试一试:每个数字都由 normlab 的 WebAssembly 内核按 PyTorch 的语义实时计算。",
  },
  'app.title': {
    en: "normlab: LayerNorm vs InstanceNorm",
    zh: "normlab:LayerNorm 与 InstanceNorm",
  },

  'btn.copy_link': {
    en: "Copy link",
    zh: "复制链接",
  },
  'btn.export_csv': {
    en: "Download CSV",
    zh: "下载 CSV",
  },
  'btn.export_json': {
    en: "Download JSON",
    zh: "下载 JSON",
  },
  'btn.randomize': {
    en: "New seed",
    zh: "换一个种子",
  },
  'btn.reset': {
    en: "Reset",
    zh: "重置",
  },
  'btn.run': {
    en: "Compute",
    zh: "计算",
  },
  'btn.swap': {
    en: "Swap A and B",
    zh: "交换 A 和 B",
  },

  'cmp.batch_dependent': {
    en: "{layer} ({module}) uses statistics of the whole batch: one sample’s output changes with the other samples.",
    zh: "{layer}({module})使用整个批次的统计量:一个样本的输出会随批次中其他样本而变化。",
  },
  'cmp.coincidence': {
    en: "The outputs agree for this input, but the layers normalize different groups of elements: other values would make them differ.",
    zh: "对这个输入两者的输出一致,但两层归一化的元素分组不同:换一组数值就会不同。",
  },
  'cmp.different': {
    en: "Different: the largest difference is {maxAbsDiff}.",
    zh: "不同:最大差值为 {maxAbsDiff}。",
  },
  'cmp.different_groups': {
    en: "The two layers compute their mean and variance over different groups of elements.",
    zh: "两层在不同的元素分组上计算均值和方差。",
  },
  'cmp.eps_differs': {
    en: "The eps values differ ({epsA} vs {epsB}).",
    zh: "两层的 eps 不同({epsA} 与 {epsB})。",
  },
  'cmp.gn_channels': {
    en: "{layer} ({module}) puts {perGroup} of the {channels} channels in each group.",
    zh: "{layer}({module})每组包含 {channels} 个通道中的 {perGroup} 个。",
  },
  'cmp.identical': {
    en: "Identical: the largest difference is {maxAbsDiff}, float32 rounding noise.",
    zh: "一致:最大差值为 {maxAbsDiff},只是 float32 的舍入误差。",
  },
  'cmp.no_params': {
    en: "{layer} ({module}) has no learnable weight or bias.",
    zh: "{layer}({module})没有可学习的权重和偏置。",
  },
  'cmp.nonfinite': {
    en: "The input contains NaN or Infinity: every output of a group that contains one is NaN.",
    zh: "输入中含有 NaN 或无穷大:包含它的分组的所有输出都是 NaN。",
  },
  'cmp.only_because_size1': {
    en: "They are the same only because {axes}: with a longer axis they would differ.",
    zh: "两者相同只是因为 {axes}:该维度更长时结果就会不同。",
  },
  'cmp.param_axes_differ': {
    en: "{layerA}’s weight and bias are per {axesA}, {layerB}’s per {axesB}: they scale and shift along different axes, so in general the outputs differ.",
    zh: "{layerA} 的权重和偏置按 {axesA} 设置,{layerB} 的按 {axesB} 设置:两者沿不同的维度缩放和平移,一般来说输出会不同。",
  },
  'cmp.param_only_one': {
    en: "Only {layer} has a weight and bias: as soon as they are not 1 and 0, its output changes and the other’s does not.",
    zh: "只有 {layer} 有权重和偏置:一旦它们不再是 1 和 0,{layer} 的输出就会改变,而另一层不会。",
  },
  'cmp.params': {
    en: "{layer} ({module}) has a weight and bias of shape {shape}.",
    zh: "{layer}({module})的权重和偏置形状为 {shape}。",
  },
  'cmp.params_initial': {
    en: "The weights are PyTorch’s initial values (weight 1, bias 0), so they change nothing yet; training changes them.",
    zh: "权重是 PyTorch 的初始值(权重为 1,偏置为 0),暂时不起作用;训练会改变它们。",
  },
  'cmp.params_random': {
    en: "The weights are random: the layers agree only if their parameters line up on the same axes.",
    zh: "权重是随机的:只有当两层的参数落在相同的维度上时,结果才会一致。",
  },
  'cmp.reduces': {
    en: "{layer} ({module}) normalizes over {axes}: {groupCount} groups of {groupSize} elements.",
    zh: "{layer}({module})在 {axes} 上归一化:共 {groupCount} 组,每组 {groupSize} 个元素。",
  },
  'cmp.rms_no_mean': {
    en: "{layer} (RMSNorm) does not subtract the mean: it divides by the root mean square.",
    zh: "{layer}(RMSNorm)不减去均值,而是除以均方根。",
  },
  'cmp.running_stats': {
    en: "{layer} ({module}) is in eval mode and uses its running statistics, not this input’s.",
    zh: "{layer}({module})处于 eval 模式,使用的是运行统计量,而不是这个输入的统计量。",
  },
  'cmp.same_groups': {
    en: "Both layers compute their mean and variance over the same groups of elements.",
    zh: "两层在相同的元素分组上计算均值和方差。",
  },
  'cmp.unbatched': {
    en: "{layer} ({module}) reads this tensor as one unbatched sample ({axes}): its first axis is the channel axis, not the batch.",
    zh: "{layer}({module})把这个张量看作一个不带批次维的样本({axes}):第一个维度是通道,而不是批次。",
  },

  'err.layer.bn_rank': {
    en: "{module} expects {want} input (got {got} input).",
    zh: "{module} 需要 {want} 的输入(实际为 {got})。",
  },
  'err.layer.bn_single': {
    en: "Expected more than 1 value per channel when training, got input size [{size}].",
    zh: "训练时每个通道需要多于 1 个值,输入大小为 [{size}]。",
  },
  'err.layer.field': {
    en: "Unknown setting “{field}” for {kind}.",
    zh: "{kind} 没有设置项“{field}”。",
  },
  'err.layer.gn_groups': {
    en: "num_channels must be divisible by num_groups: {channels} channels cannot be split into {groups} groups.",
    zh: "num_channels 必须能被 num_groups 整除:{channels} 个通道无法分成 {groups} 组。",
  },
  'err.layer.gn_rank': {
    en: "GroupNorm expects input of shape (N, C, *), at least 2D (got {got} input).",
    zh: "GroupNorm 需要形状为 (N, C, *)、至少 2 维的输入(实际为 {got})。",
  },
  'err.layer.gn_single': {
    en: "Expected more than 1 value per channel when training, got input size [{size}] (GroupNorm with groups of one element).",
    zh: "训练时每个通道需要多于 1 个值,输入大小为 [{size}](GroupNorm 的每组只有一个元素)。",
  },
  'err.layer.in_momentum_none': {
    en: "InstanceNorm does not support momentum=None in PyTorch 1.13.",
    zh: "PyTorch 1.13 的 InstanceNorm 不支持 momentum=None。",
  },
  'err.layer.in_rank': {
    en: "{module} expects {want} input (got {got} input).",
    zh: "{module} 需要 {want} 的输入(实际为 {got})。",
  },
  'err.layer.in_spatial': {
    en: "Expected more than 1 spatial element when training, got input size [{size}].",
    zh: "训练时需要多于 1 个空间元素,输入大小为 [{size}]。",
  },
  'err.layer.kind': {
    en: "Unknown layer “{kind}”.",
    zh: "未知的层“{kind}”。",
  },
  'err.layer.ln_shape': {
    en: "Given normalized_shape=[{normalizedShape}], expected input with shape [*, {normalizedShape}], but got input of size [{shape}].",
    zh: "normalized_shape=[{normalizedShape}] 要求输入形状为 [*, {normalizedShape}],但输入大小为 [{shape}]。",
  },
  'err.layer.param': {
    en: "Unknown parameter “{param}” for {kind}.",
    zh: "{kind} 没有参数“{param}”。",
  },
  'err.layer.value': {
    en: "Invalid value “{value}” for {param}.",
    zh: "{param} 的值“{value}”无效。",
  },
  'err.layers.empty': {
    en: "No layer given.",
    zh: "没有给出任何层。",
  },
  'err.library': {
    en: "The normlab library refused: {message}",
    zh: "normlab 库拒绝了这次计算:{message}",
  },
  'err.shape.dim': {
    en: "Every dimension must be a positive integer (got {value}).",
    zh: "每个维度都必须是正整数(实际为 {value})。",
  },
  'err.shape.empty': {
    en: "Enter a shape, for example 2, 3, 4.",
    zh: "请输入形状,例如 2, 3, 4。",
  },
  'err.shape.rank': {
    en: "A tensor may have at most {max} dimensions (got {rank}).",
    zh: "张量最多 {max} 维(实际为 {rank} 维)。",
  },
  'err.shape.token': {
    en: "“{token}” is not a dimension size.",
    zh: "“{token}”不是维度大小。",
  },
  'err.shape.too_big': {
    en: "Too many elements: {count} (at most {max}).",
    zh: "元素太多:{count} 个(最多 {max} 个)。",
  },
  'err.values.count': {
    en: "Got {got} numbers, but shape {shape} needs {want}.",
    zh: "得到 {got} 个数,但形状 {shape} 需要 {want} 个。",
  },
  'err.values.empty': {
    en: "No numbers given.",
    zh: "没有给出任何数。",
  },
  'err.values.kind': {
    en: "Unknown kind of values “{kind}”.",
    zh: "未知的数值类型“{kind}”。",
  },
  'err.values.ragged': {
    en: "The nested lists are not rectangular: rows have different lengths.",
    zh: "嵌套列表不是规则的矩形:各行长度不同。",
  },
  'err.values.rank': {
    en: "The nested lists are deeper than {max} levels.",
    zh: "嵌套列表超过 {max} 层。",
  },
  'err.values.token': {
    en: "“{token}” is not a number.",
    zh: "“{token}”不是数字。",
  },
  'err.values.trailing': {
    en: "Unexpected “{token}” after the closing bracket.",
    zh: "右括号之后出现了多余的“{token}”。",
  },
  'err.values.unclosed': {
    en: "A bracket is not closed.",
    zh: "有括号没有闭合。",
  },

  'label.affine': {
    en: "affine",
    zh: "affine",
  },
  'label.data': {
    en: "Values",
    zh: "数值",
  },
  'label.diff': {
    en: "|A − B|",
    zh: "|A − B|",
  },
  'label.dim': {
    en: "Dimensions",
    zh: "维数",
  },
  'label.dim.auto': {
    en: "from the rank",
    zh: "由张量维数决定",
  },
  'label.eps': {
    en: "eps",
    zh: "eps",
  },
  'label.groups': {
    en: "Groups",
    zh: "组数",
  },
  'label.input': {
    en: "Input",
    zh: "输入",
  },
  'label.kind': {
    en: "Layer",
    zh: "层",
  },
  'label.lang': {
    en: "Language",
    zh: "语言",
  },
  'label.layer_a': {
    en: "Layer A",
    zh: "层 A",
  },
  'label.layer_b': {
    en: "Layer B",
    zh: "层 B",
  },
  'label.mode': {
    en: "Mode",
    zh: "模式",
  },
  'label.mode.eval': {
    en: "eval",
    zh: "评估(eval)",
  },
  'label.mode.train': {
    en: "train",
    zh: "训练(train)",
  },
  'label.momentum': {
    en: "momentum",
    zh: "momentum",
  },
  'label.normalized_shape': {
    en: "normalized_shape",
    zh: "normalized_shape",
  },
  'label.output': {
    en: "Output",
    zh: "输出",
  },
  'label.pytorch_code': {
    en: "PyTorch",
    zh: "PyTorch 代码",
  },
  'label.random_affine': {
    en: "Random weight and bias",
    zh: "随机权重和偏置",
  },
  'label.seed': {
    en: "Seed",
    zh: "随机种子",
  },
  'label.shape': {
    en: "Shape",
    zh: "形状",
  },
  'label.stats.mean': {
    en: "mean",
    zh: "均值",
  },
  'label.stats.rstd': {
    en: "1 / std",
    zh: "1 / 标准差",
  },
  'label.stats.var': {
    en: "variance",
    zh: "方差",
  },
  'label.track': {
    en: "track_running_stats",
    zh: "track_running_stats",
  },
  'label.values': {
    en: "Input values",
    zh: "输入数值",
  },
  'label.values.custom': {
    en: "my own numbers",
    zh: "自己输入的数",
  },
  'label.values.ramp': {
    en: "ramp 0, 1, 2, …",
    zh: "递增序列 0, 1, 2, …",
  },
  'label.values.random': {
    en: "normal random (torch.randn)",
    zh: "正态分布随机数(torch.randn)",
  },
  'label.values.uniform': {
    en: "uniform random (torch.rand)",
    zh: "均匀分布随机数(torch.rand)",
  },

  'layer.batch_norm': {
    en: "Batch normalization (BatchNorm)",
    zh: "批归一化(BatchNorm)",
  },
  'layer.group_norm': {
    en: "Group normalization (GroupNorm)",
    zh: "组归一化(GroupNorm)",
  },
  'layer.instance_norm': {
    en: "Instance normalization (InstanceNorm)",
    zh: "实例归一化(InstanceNorm)",
  },
  'layer.layer_norm': {
    en: "Layer normalization (LayerNorm)",
    zh: "层归一化(LayerNorm)",
  },
  'layer.rms_norm': {
    en: "RMS normalization (RMSNorm)",
    zh: "均方根归一化(RMSNorm)",
  },

  'layout.batch_norm': {
    en: "BatchNorm reads the tensor as (N, C, *): statistics per channel over the whole batch.",
    zh: "BatchNorm 把张量看作 (N, C, *):每个通道在整个批次上计算统计量。",
  },
  'layout.group_norm': {
    en: "GroupNorm reads the tensor as (N, C, *): statistics per sample over groups of channels.",
    zh: "GroupNorm 把张量看作 (N, C, *):每个样本在若干通道组成的组上计算统计量。",
  },
  'layout.in1d_batched': {
    en: "InstanceNorm1d reads a 3-D tensor as (N, C, L): a batch of N samples with C channels of length L.",
    zh: "InstanceNorm1d 把 3 维张量看作 (N, C, L):N 个样本,每个样本 C 个通道,长度为 L。",
  },
  'layout.in1d_unbatched': {
    en: "InstanceNorm1d reads a 2-D tensor as one unbatched sample (C, L).",
    zh: "InstanceNorm1d 把 2 维张量看作一个不带批次维的样本 (C, L)。",
  },
  'layout.in2d_batched': {
    en: "InstanceNorm2d reads a 4-D tensor as (N, C, H, W).",
    zh: "InstanceNorm2d 把 4 维张量看作 (N, C, H, W)。",
  },
  'layout.in2d_unbatched': {
    en: "InstanceNorm2d reads a 3-D tensor as one unbatched image (C, H, W): the first axis is the channel, not the batch.",
    zh: "InstanceNorm2d 把 3 维张量看作一张不带批次维的图像 (C, H, W):第一个维度是通道,而不是批次。",
  },
  'layout.in3d_batched': {
    en: "InstanceNorm3d reads a 5-D tensor as (N, C, D, H, W).",
    zh: "InstanceNorm3d 把 5 维张量看作 (N, C, D, H, W)。",
  },
  'layout.in3d_unbatched': {
    en: "InstanceNorm3d reads a 4-D tensor as one unbatched volume (C, D, H, W).",
    zh: "InstanceNorm3d 把 4 维张量看作一个不带批次维的体数据 (C, D, H, W)。",
  },
  'layout.layer_norm': {
    en: "Normalizes over the trailing normalized_shape axes; every leading index is its own group.",
    zh: "在末尾的 normalized_shape 各维上归一化;前面每个下标各自成为一组。",
  },

  'page.add_layer': {
    en: "Add a layer",
    zh: "添加一层",
  },
  'page.answer': {
    en: "LayerNorm over the last dimension only equals InstanceNorm1d on an (N, C, L) tensor: both normalize each row of L values. It does not equal InstanceNorm2d, which normalizes whole H×W planes: that takes LayerNorm([H, W]). With trained affine parameters they differ again, because LayerNorm has one weight per position and InstanceNorm one per channel.",
    zh: "只对最后一个维度做归一化的 LayerNorm,与作用在 (N, C, L) 张量上的 InstanceNorm1d 结果相同:两者都对每一行的 L 个值归一化。它与 InstanceNorm2d 不同,后者对整个 H×W 平面归一化,对应的是 LayerNorm([H, W])。一旦仿射参数经过训练,两者又会不同:LayerNorm 每个位置有一个权重,InstanceNorm 每个通道有一个权重。",
  },
  'page.answer_title': {
    en: "The short answer",
    zh: "简短的回答",
  },
  'page.bad_param': {
    en: "Invalid value: {detail}",
    zh: "无效的值:{detail}",
  },
  'page.bad_seed': {
    en: "The seed must be a whole number from 0 to 4294967295.",
    zh: "种子必须是 0 到 4294967295 之间的整数。",
  },
  'page.bench_col_impl': {
    en: "Implementation",
    zh: "实现",
  },
  'page.bench_col_median': {
    en: "Median per call",
    zh: "每次调用的中位数",
  },
  'page.bench_col_runs': {
    en: "Runs",
    zh: "次数",
  },
  'page.bench_js': {
    en: "plain JavaScript, two passes",
    zh: "纯 JavaScript,两遍计算",
  },
  'page.bench_note': {
    en: "Median of repeated runs on this machine and this shape ({shape}); small shapes mostly measure call overhead.",
    zh: "在本机、当前形状 ({shape}) 上重复运行的中位数;小形状主要测到的是调用开销。",
  },
  'page.bench_run': {
    en: "Run the benchmark",
    zh: "运行基准测试",
  },
  'page.bench_running': {
    en: "Running…",
    zh: "正在运行…",
  },
  'page.bench_scalar': {
    en: "normlab, scalar wasm",
    zh: "normlab,标量 wasm",
  },
  'page.bench_simd': {
    en: "normlab, SIMD128 wasm",
    zh: "normlab,SIMD128 wasm",
  },
  'page.bench_text': {
    en: "Times normlab (SIMD and scalar WebAssembly) and a plain JavaScript two-pass implementation of LayerNorm over the last dimension and of InstanceNorm on the current tensor.",
    zh: "在当前张量上测量 normlab(SIMD 与标量 WebAssembly)以及纯 JavaScript 两遍实现的 LayerNorm(最后一个维度)和 InstanceNorm 的耗时。",
  },
  'page.bench_title': {
    en: "9. Speed on this shape",
    zh: "9. 当前形状下的速度",
  },
  'page.col_group': {
    en: "group",
    zh: "组",
  },
  'page.col_index': {
    en: "index",
    zh: "下标",
  },
  'page.copied': {
    en: "Copied",
    zh: "已复制",
  },
  'page.copy': {
    en: "Copy",
    zh: "复制",
  },
  'page.display_limit': {
    en: "The grid and the tables are drawn for tensors of up to {limit} elements; this one has {size}. The verdict, the features and the downloads cover the whole tensor.",
    zh: "网格和表格只绘制最多 {limit} 个元素的张量;当前张量有 {size} 个元素。结论、特性和下载文件仍覆盖整个张量。",
  },
  'page.embed_title': {
    en: "Embed this comparison",
    zh: "嵌入这个对比",
  },
  'page.feat_axes': {
    en: "Axes of the input",
    zh: "输入的各个轴",
  },
  'page.features_caption': {
    en: "What each layer does with this input",
    zh: "每一层如何处理这个输入",
  },
  'page.features_title': {
    en: "6. Features of each layer",
    zh: "6. 各层的特性",
  },
  'page.flow_caption': {
    en: "The numbers of group {group} of {layer} (select another element above).",
    zh: "{layer} 第 {group} 组的数值(在上方选择其他元素可切换)。",
  },
  'page.flow_input': {
    en: "Input tensor",
    zh: "输入张量",
  },
  'page.flow_mean': {
    en: "Mean",
    zh: "计算均值",
  },
  'page.flow_normalize': {
    en: "Normalize",
    zh: "归一化",
  },
  'page.flow_output': {
    en: "Output tensor",
    zh: "输出张量",
  },
  'page.flow_std': {
    en: "Standard deviation",
    zh: "计算标准差",
  },
  'page.flow_title': {
    en: "The normalization flow",
    zh: "归一化流程",
  },
  'page.footer': {
    en: "normlab computes PyTorch’s normalization layers exactly (float32, with torch 1.13’s semantics) in WebAssembly. Nothing leaves your browser.",
    zh: "normlab 用 WebAssembly 精确计算 PyTorch 的归一化层(float32,遵循 torch 1.13 的语义)。所有数据都不会离开你的浏览器。",
  },
  'page.grid_axes': {
    en: "Across: {cols}; down: {rows}.",
    zh: "横向:{cols};纵向:{rows}。",
  },
  'page.grid_axes_1d': {
    en: "Across: {cols}.",
    zh: "横向:{cols}。",
  },
  'page.grid_hint': {
    en: "Each colour is one normalization group: its elements share one mean and one standard deviation. Point at or select an element (arrow keys move) to see its group’s numbers.",
    zh: "每种颜色是一个归一化组:组内元素共用同一个均值和标准差。指向或选中一个元素(方向键可移动)即可查看其所在组的数值。",
  },
  'page.grid_label': {
    en: "{layer}: {count} groups of {size} elements",
    zh: "{layer}:{count} 组,每组 {size} 个元素",
  },
  'page.grid_summary': {
    en: "Groups: {count}, of {size} elements each, normalized over {axes}.",
    zh: "共 {count} 组,每组 {size} 个元素,在 {axes} 上归一化。",
  },
  'page.group_info': {
    en: "Element {index} is in group {group} ({size} elements): mean μ = {mean}, std √(σ² + ε) = {std}.",
    zh: "元素 {index} 属于第 {group} 组({size} 个元素):均值 μ = {mean},标准差 √(σ² + ε) = {std}。",
  },
  'page.group_info_rms': {
    en: "Element {index} is in group {group} ({size} elements): RMSNorm subtracts no mean; rms √(mean(x²) + ε) = {std}.",
    zh: "元素 {index} 属于第 {group} 组({size} 个元素):RMSNorm 不减去均值;均方根 √(mean(x²) + ε) = {std}。",
  },
  'page.groups_title': {
    en: "4. Which elements are normalized together",
    zh: "4. 哪些元素一起归一化",
  },
  'page.input_preview': {
    en: "The input x",
    zh: "输入 x",
  },
  'page.layer_kind': {
    en: "Layer {layer}",
    zh: "第 {layer} 层",
  },
  'page.layers_title': {
    en: "2. The layers to compare",
    zh: "2. 要比较的层",
  },
  'page.load_failed': {
    en: "The WebAssembly kernels could not be loaded: {message}",
    zh: "无法加载 WebAssembly 内核:{message}",
  },
  'page.loading': {
    en: "Loading the WebAssembly kernels…",
    zh: "正在加载 WebAssembly 内核…",
  },
  'page.need_two': {
    en: "Two layers that accept this shape are needed for a comparison.",
    zh: "需要两个能接受此形状的层才能比较。",
  },
  'page.open_full': {
    en: "Open this comparison in normlab ↗",
    zh: "在 normlab 中打开这个对比 ↗",
  },
  'page.p_last_dim': {
    en: "last dim",
    zh: "最后一维",
  },
  'page.p_random_none': {
    en: "none",
    zh: "无",
  },
  'page.paste': {
    en: "Your values",
    zh: "你的数值",
  },
  'page.paste_hint': {
    en: "Numbers separated by spaces or commas (as many as the shape holds), or a nested list such as [[1, 2], [3, 4]], which sets the shape.",
    zh: "用空格或逗号分隔的数字(个数与形状一致),或嵌套列表,例如 [[1, 2], [3, 4]],此时由列表决定形状。",
  },
  'page.pie_desc': {
    en: "Share of use cases, from the source document:",
    zh: "应用场景占比,数据来自原文:",
  },
  'page.preset_affine': {
    en: "with random affine parameters",
    zh: "使用随机仿射参数",
  },
  'page.preset_equal': {
    en: "LayerNorm(last dim) vs InstanceNorm1d on (2, 3, 4)",
    zh: "在 (2, 3, 4) 上比较 LayerNorm(最后一维) 与 InstanceNorm1d",
  },
  'page.preset_gn': {
    en: "GroupNorm vs InstanceNorm",
    zh: "GroupNorm 与 InstanceNorm",
  },
  'page.preset_hw_vs_2d': {
    en: "LayerNorm([H, W]) vs InstanceNorm2d",
    zh: "LayerNorm([H, W]) 与 InstanceNorm2d",
  },
  'page.preset_source': {
    en: "the source document’s code",
    zh: "原文中的代码",
  },
  'page.preset_w_vs_2d': {
    en: "LayerNorm(W) vs InstanceNorm2d on (1, 2, 3, 4)",
    zh: "在 (1, 2, 3, 4) 上比较 LayerNorm(W) 与 InstanceNorm2d",
  },
  'page.presets': {
    en: "Try:",
    zh: "试一试:",
  },
  'page.remove_layer': {
    en: "Remove layer {layer}",
    zh: "删除第 {layer} 层",
  },
  'page.shape_hint': {
    en: "for example 2,3,4 or 1x2x3x4 (1 to 5 dimensions)",
    zh: "例如 2,3,4 或 1x2x3x4(1 到 5 个维度)",
  },
  'page.share_text': {
    en: "The address of this page holds the whole experiment: copy it to share exactly this comparison.",
    zh: "本页地址包含整个实验:复制它即可分享这个对比。",
  },
  'page.share_title': {
    en: "8. Share and export",
    zh: "8. 分享与导出",
  },
  'page.snippet_title': {
    en: "The same comparison in PyTorch",
    zh: "用 PyTorch 做同样的对比",
  },
  'page.stats_caption': {
    en: "mean and variance of every group",
    zh: "每组的均值和方差",
  },
  'page.tables_title': {
    en: "5. The numbers",
    zh: "5. 数值",
  },
  'page.tensor_title': {
    en: "1. The tensor",
    zh: "1. 张量",
  },
  'page.uses_title': {
    en: "7. Where they are used",
    zh: "7. 应用场景",
  },
  'page.values_caption': {
    en: "Input, outputs and element-wise differences",
    zh: "输入、各层输出与逐元素差值",
  },
  'page.verdict_title': {
    en: "3. Verdict",
    zh: "3. 结论",
  },

  'pie.generative': {
    en: "Generative models",
    zh: "生成模型",
  },
  'pie.image': {
    en: "Image processing",
    zh: "图像处理",
  },
  'pie.nlp': {
    en: "NLP",
    zh: "NLP",
  },
  'pie.title': {
    en: "Where LayerNorm and InstanceNorm are used",
    zh: "LayerNorm 与 InstanceNorm 的应用场景",
  },

  'table.depends_on_batch': {
    en: "Depends on the batch",
    zh: "依赖批次",
  },
  'table.group_size': {
    en: "Elements per group",
    zh: "每组元素数",
  },
  'table.groups': {
    en: "Groups",
    zh: "组数",
  },
  'table.init.initial': {
    en: "initial (1, 0)",
    zh: "初始值(1, 0)",
  },
  'table.init.random': {
    en: "random",
    zh: "随机",
  },
  'table.layer': {
    en: "Layer",
    zh: "层",
  },
  'table.layout': {
    en: "Input layout",
    zh: "输入布局",
  },
  'table.module': {
    en: "PyTorch module",
    zh: "PyTorch 模块",
  },
  'table.no': {
    en: "no",
    zh: "否",
  },
  'table.none': {
    en: "none",
    zh: "无",
  },
  'table.params': {
    en: "Weight / bias shape",
    zh: "权重 / 偏置形状",
  },
  'table.reduced': {
    en: "Normalized over",
    zh: "归一化的维度",
  },
  'table.running.none': {
    en: "none",
    zh: "无",
  },
  'table.running.update': {
    en: "updated in training",
    zh: "训练时更新",
  },
  'table.running.use': {
    en: "used (eval mode)",
    zh: "使用(eval 模式)",
  },
  'table.running_stats': {
    en: "Running statistics",
    zh: "运行统计量",
  },
  'table.typical_use': {
    en: "Typical use",
    zh: "典型应用",
  },
  'table.yes': {
    en: "yes",
    zh: "是",
  },

  'use.batch_norm': {
    en: "Convolutional networks for images, trained with large batches.",
    zh: "图像卷积网络,使用较大的批次训练。",
  },
  'use.group_norm': {
    en: "Detection and segmentation with small batches; diffusion U-Nets.",
    zh: "小批次的检测与分割;扩散模型的 U-Net。",
  },
  'use.instance_norm': {
    en: "Style transfer and image generation: each image and channel on its own.",
    zh: "风格迁移和图像生成:每张图像的每个通道独立归一化。",
  },
  'use.layer_norm': {
    en: "NLP and Transformers: each token’s features, any sequence length.",
    zh: "NLP 与 Transformer:对每个词元的特征归一化,适用于任意长度的序列。",
  },
  'use.rms_norm': {
    en: "Large language models (LLaMA, T5): cheaper than LayerNorm, no mean.",
    zh: "大语言模型(LLaMA、T5):比 LayerNorm 更省计算,不减均值。",
  },

  'warn.data': {
    en: "The values in the link could not be read; random values are used instead.",
    zh: "链接中的数值无法读取,已改用随机数。",
  },
  'warn.lang': {
    en: "Unknown language “{value}” in the link.",
    zh: "链接中的语言“{value}”未知。",
  },
  'warn.layer': {
    en: "Ignored the layer “{value}” from the link.",
    zh: "已忽略链接中的层“{value}”。",
  },
  'warn.layers_extra': {
    en: "The link has more than {max} layers; the rest are ignored.",
    zh: "链接中的层超过 {max} 个,多余的已忽略。",
  },
  'warn.seed': {
    en: "Ignored the seed “{value}” from the link.",
    zh: "已忽略链接中的随机种子“{value}”。",
  },
  'warn.shape': {
    en: "Ignored the shape “{value}” from the link.",
    zh: "已忽略链接中的形状“{value}”。",
  },
  'warn.values': {
    en: "Unknown kind of values “{value}” in the link.",
    zh: "链接中的数值类型“{value}”未知。",
  },
};
