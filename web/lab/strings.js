// Every user-facing string of normlab (the lab logic, the page and the
// element), each key with its English and Simplified Chinese side by side.
// Keys are grouped by area (app, btn, cmp, err, label, layer, layout, page,
// pie, table, train, use, warn) and sorted within each area.
export const STRINGS = {
  'app.question': {
    en: "Is PyTorch’s LayerNorm over the last dimension the same as InstanceNorm?",
    zh: "PyTorch 中只对最后一个维度做归一化的 LayerNorm 与 InstanceNorm 一致吗？",
  },
  'app.subtitle': {
    en: "Try it on your own tensor: every number is computed live by the normlab WebAssembly kernels, with PyTorch’s semantics.",
    zh: "用你自己的张量试一试：每个数字都由 normlab 的 WebAssembly 内核按 PyTorch 的语义实时计算。",
  },
  'app.title': {
    en: "normlab: LayerNorm vs InstanceNorm",
    zh: "normlab：LayerNorm 与 InstanceNorm",
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

  'cmp.batch_dependent': {
    en: "{layer} ({module}) uses statistics of the whole batch: one sample’s output changes with the other samples.",
    zh: "{layer}（{module}）使用整个批次的统计量：一个样本的输出会随批次中其他样本而变化。",
  },
  'cmp.below_tolerance': {
    en: "That is below the page’s tolerance of {tolerance} but more than float32 rounding (each output is within {error64} of a float64 computation of the same layer): computed in float64, the two layers still differ by {diff64}.",
    zh: "这低于页面的容差 {tolerance}，但超过了 float32 的舍入误差（每个输出与同一层的 float64 计算结果相差不超过 {error64}）：用 float64 计算，两层仍相差 {diff64}。",
  },
  'cmp.coincidence': {
    en: "The outputs agree for this input, but the layers normalize different groups of elements: other values would make them differ.",
    zh: "对这个输入两者的输出一致，但两层归一化的元素分组不同：换一组数值就会不同。",
  },
  'cmp.different': {
    en: "Different: the largest difference is {maxAbsDiff}.",
    zh: "不同：最大差值为 {maxAbsDiff}。",
  },
  'cmp.different_groups': {
    en: "The two layers normalize different groups of elements together.",
    zh: "两层放在一起归一化的元素分组不同。",
  },
  'cmp.empty': {
    en: "The tensor has no elements, so the outputs are empty: there are no values to compare.",
    zh: "这个张量没有元素，输出也是空的：没有可以比较的数值。",
  },
  'cmp.eps_differs': {
    en: "The eps values differ ({epsA} vs {epsB}).",
    zh: "两层的 eps 不同（{epsA} 与 {epsB}）。",
  },
  'cmp.exact': {
    en: "The outputs are exactly equal, bit for bit.",
    zh: "两个输出完全相等，逐位相同。",
  },
  'cmp.gn_channels': {
    en: "{layer} ({module}) puts {perGroup} of the {channels} channels in each group.",
    zh: "{layer}（{module}）每组包含 {channels} 个通道中的 {perGroup} 个。",
  },
  'cmp.identical': {
    en: "Identical: the largest difference is {maxAbsDiff}.",
    zh: "一致：最大差值为 {maxAbsDiff}。",
  },
  'cmp.no_params': {
    en: "{layer} ({module}) has no learnable weight or bias.",
    zh: "{layer}（{module}）没有可学习的权重和偏置。",
  },
  'cmp.nonfinite': {
    en: "The input contains NaN or Infinity: in a layer that subtracts a mean, every output of a group that contains one is NaN.",
    zh: "输入中含有 NaN 或无穷大：在减去均值的层中，包含它的分组的所有输出都是 NaN。",
  },
  'cmp.nonfinite_rms': {
    en: "{layer} ({module}) subtracts no mean: a NaN makes its whole group NaN, but an infinity gives NaN only at its own position and 0 at the others (x / √(mean(x²) + eps) with mean(x²) = ∞).",
    zh: "{layer}（{module}）不减均值：NaN 会让整个分组变成 NaN，但无穷大只在它自己的位置得到 NaN，其余位置为 0（x / √(mean(x²) + eps)，其中 mean(x²) = ∞）。",
  },
  'cmp.nonfinite_running': {
    en: "{layer} ({module}) uses its running statistics, element by element: a NaN or infinite input stays NaN or infinite in its own place and touches no other output.",
    zh: "{layer}（{module}）逐个元素地使用运行统计量：输入中的 NaN 或无穷大只留在它自己的位置，不影响其他输出。",
  },
  'cmp.only_because_size1': {
    en: "They are the same only because {axes}: with a longer axis they would differ.",
    zh: "两者相同只是因为 {axes}：该维度更长时结果就会不同。",
  },
  'cmp.param_axes_differ': {
    en: "{layerA}’s parameters are per {axesA}, {layerB}’s per {axesB}: they scale along different axes, so in general the outputs differ.",
    zh: "{layerA} 的参数按 {axesA} 设置，{layerB} 的按 {axesB} 设置：两者沿不同的维度缩放，一般来说输出会不同。",
  },
  'cmp.param_axes_differ_dims': {
    en: "{layerA}’s parameters are per {axesA} (dim={dimsA}), {layerB}’s per {axesB} (dim={dimsB}): they scale along different axes of the tensor, so in general the outputs differ.",
    zh: "{layerA} 的参数按 {axesA}（dim={dimsA}）设置，{layerB} 的按 {axesB}（dim={dimsB}）设置：两者沿张量的不同维度缩放，一般来说输出会不同。",
  },
  'cmp.param_only_one': {
    en: "Only {layer} has a weight and bias: as soon as they are not 1 and 0, its output changes and the other’s does not.",
    zh: "只有 {layer} 有权重和偏置：一旦它们不再是 1 和 0，{layer} 的输出就会改变，而另一层不会。",
  },
  'cmp.param_only_one_weight': {
    en: "Only {layer} has a weight: as soon as it is not 1, its output changes and the other’s does not.",
    zh: "只有 {layer} 有权重：一旦它不再是 1，{layer} 的输出就会改变，而另一层不会。",
  },
  'cmp.params': {
    en: "{layer} ({module}) has a weight and a bias, each of shape {shape}.",
    zh: "{layer}（{module}）有权重和偏置，形状都是 {shape}。",
  },
  'cmp.params_initial': {
    en: "The parameters are PyTorch’s initial values (every weight 1, every bias 0), so they change nothing yet; training changes them.",
    zh: "参数是 PyTorch 的初始值（权重全为 1，偏置全为 0），暂时不起作用；训练会改变它们。",
  },
  'cmp.params_random': {
    en: "The parameters are random: the layers agree only if their parameters line up on the same axes.",
    zh: "参数是随机的：只有当两层的参数落在相同的维度上时，结果才会一致。",
  },
  'cmp.params_weight': {
    en: "{layer} ({module}) has a weight of shape {shape} and no bias.",
    zh: "{layer}（{module}）有形状为 {shape} 的权重，没有偏置。",
  },
  'cmp.reduces': {
    en: "{layer} ({module}) normalizes over {axes}: {groupCount} groups of {groupSize} elements.",
    zh: "{layer}（{module}）在 {axes} 上归一化：共 {groupCount} 组，每组 {groupSize} 个元素。",
  },
  'cmp.rms_no_mean': {
    en: "{layer} (RMSNorm) does not subtract the mean: it divides by the root mean square.",
    zh: "{layer}（RMSNorm）不减去均值，而是除以均方根。",
  },
  'cmp.rounding': {
    en: "That is within float32 rounding: each output is within {error64} of a float64 computation of the same layer.",
    zh: "这在 float32 的舍入误差之内：每个输出与同一层的 float64 计算结果相差不超过 {error64}。",
  },
  'cmp.rounding_scale': {
    en: "For scale, float32 rounding on this input: each output is within {error64} of a float64 computation of the same layer.",
    zh: "作为参照，这个输入上 float32 的舍入误差：每个输出与同一层的 float64 计算结果相差不超过 {error64}。",
  },
  'cmp.running_fresh': {
    en: "Its running statistics are those of a freshly built module (it has not been trained): running_mean 0 and running_var 1, so it computes x / √(1 + eps), then applies the weight and bias if it has them.",
    zh: "它的运行统计量是新建模块的初始值（还没有训练过）：running_mean 为 0，running_var 为 1，所以它计算 x / √(1 + eps)，有权重和偏置时再乘权重、加偏置。",
  },
  'cmp.running_stats': {
    en: "{layer} ({module}) is in eval mode with track_running_stats=True: it normalizes each of the {channels} channels with that channel’s running mean and running variance, and computes no statistics from this input.",
    zh: "{layer}（{module}）处于 eval 模式且 track_running_stats=True：它用每个通道的运行均值和运行方差归一化这 {channels} 个通道，不从这个输入计算任何统计量。",
  },
  'cmp.running_update': {
    en: "{layer} ({module}) in training also updates its running statistics, per channel: running_mean = (1 − {momentum}) · running_mean + {momentum} · the batch mean, running_var the same with the unbiased batch variance, and num_batches_tracked goes up by 1. In eval mode it would normalize with those (see its running statistics under the numbers).",
    zh: "{layer}（{module}）在训练模式下还会按通道更新运行统计量：running_mean = (1 − {momentum}) · running_mean + {momentum} · 批次均值，running_var 同样用批次的无偏方差更新，num_batches_tracked 加 1。eval 模式下它会用这些统计量归一化（见数值部分的运行统计量）。",
  },
  'cmp.running_update_cumulative': {
    en: "{layer} ({module}) has momentum=None: its running statistics are a cumulative average, so after this first training batch they are the batch mean and the unbiased batch variance, and num_batches_tracked is 1. In eval mode it would normalize with those.",
    zh: "{layer}（{module}）的 momentum=None：运行统计量是累积平均，所以在这第一个训练批次之后，它们就是批次均值和批次的无偏方差，num_batches_tracked 为 1。eval 模式下它会用这些统计量归一化。",
  },
  'cmp.running_update_in': {
    en: "{layer} ({module}) with track_running_stats=True also updates its running statistics in training, per channel, with the batch’s average of the instances’ means and of their unbiased variances (momentum {momentum}); num_batches_tracked stays 0. In eval mode it would normalize with those.",
    zh: "{layer}（{module}）在 track_running_stats=True 的训练模式下还会按通道更新运行统计量：用批次中各实例均值的平均和各实例无偏方差的平均（momentum 为 {momentum}）；num_batches_tracked 保持为 0。eval 模式下它会用这些统计量归一化。",
  },
  'cmp.same_groups': {
    en: "Both layers normalize the same groups of elements together, each group with one set of statistics computed from this input.",
    zh: "两层把相同的元素分组放在一起归一化，每组用从这个输入算出的一组统计量。",
  },
  'cmp.unbatched': {
    en: "{layer} ({module}) reads this tensor as one unbatched sample ({axes}): its first axis is the channel axis, not the batch.",
    zh: "{layer}（{module}）把这个张量看作一个不带批次维的样本（{axes}）：第一个维度是通道，而不是批次。",
  },

  'code.bad_value': {
    en: "Line {line}, column {col}: {name} needs {what} here.",
    zh: "第 {line} 行第 {col} 列：{name} 在这里需要 {what}。",
  },
  'code.claim_channels': {
    en: "The comment says {numFeatures} is the number of channels, but {module} reads C = {C} from this input of shape [{shape}].",
    zh: "注释说 {numFeatures} 是通道数，但 {module} 从形状为 [{shape}] 的输入中读到的 C 是 {C}。",
  },
  'code.claim_channels_unbatched': {
    en: "The comment says {numFeatures} is the number of channels, but {module} takes a {rank}-D input as one unbatched sample ({axes}), so its C is the first size, {C}: a layer for {numFeatures} channels does not fit. {suggested} reads [{shape}] as (N, C = {numFeatures}, …), which is what the comment means.",
    zh: "注释说 {numFeatures} 是通道数，但 {module} 把 {rank} 维输入当作一个不带批次维的样本（{axes}），所以它的 C 是第一个维度的大小 {C}：为 {numFeatures} 个通道构造的层对不上。{suggested} 把 [{shape}] 读作（N，C = {numFeatures}，…），这才是注释的意思。",
  },
  'code.claim_last_dim': {
    en: "The comment says “last dimension”, but {module} here normalizes over {count} axes, {axes}, not only the last axis {last}.",
    zh: "注释说“最后一个维度”，但这里的 {module} 在 {count} 个维度（{axes}）上归一化，而不只是最后一个维度 {last}。",
  },
  'code.not_input': {
    en: "Line {line}, column {col}: the layer is applied to “{name}”; the code box applies layers only to the input tensor x.",
    zh: "第 {line} 行第 {col} 列：层被用在“{name}”上；代码框只把层用在输入张量 x 上。",
  },
  'code.rms_torch24': {
    en: "PyTorch 1.13 has no nn.RMSNorm (AttributeError: module 'torch.nn' has no attribute 'RMSNorm'): {name} is computed as torch 2.4 and later compute it.",
    zh: "PyTorch 1.13 没有 `nn.RMSNorm`（`AttributeError: module 'torch.nn' has no attribute 'RMSNorm'`）：{name} 按 torch 2.4 及以后版本的方式计算。",
  },
  'code.second_input': {
    en: "Line {line}, column {col}: “{name}” is a second input tensor; the page takes one input, {x}.",
    zh: "第 {line} 行第 {col} 列：“{name}”是第二个输入张量；本页只接受一个输入 {x}。",
  },
  'code.syntax': {
    en: "Line {line}, column {col}: cannot read “{what}” (a bracket or string is not closed, or a character is not Python).",
    zh: "第 {line} 行第 {col} 列：无法读取“{what}”（括号或字符串没有闭合，或者字符不是 Python 代码）。",
  },
  'code.too_long': {
    en: "The code is {length} characters long; the code box reads at most {max}.",
    zh: "代码有 {length} 个字符；代码框最多读取 {max} 个。",
  },
  'code.too_many_lines': {
    en: "The code has {lines} lines; the code box reads at most {max}.",
    zh: "代码有 {lines} 行；代码框最多读取 {max} 行。",
  },
  'code.torch_raises': {
    en: "Line {line}, column {col}: PyTorch raises {type}: {message}",
    zh: "第 {line} 行第 {col} 列：PyTorch 会抛出 {type}: {message}",
  },
  'code.unknown_name': {
    en: "Line {line}, column {col}: “{name}” is not defined in the code, and the code box does not provide it.",
    zh: "第 {line} 行第 {col} 列：代码中没有定义“{name}”，代码框也不提供它。",
  },
  'code.unsupported': {
    en: "Line {line}, column {col}: “{what}” is not supported. The code box reads: torch imports; x = torch.rand / randn / ones / zeros(…), torch.arange(…).reshape(…), torch.tensor([…]); torch.manual_seed(n); nn.LayerNorm, nn.InstanceNorm1d/2d/3d, nn.GroupNorm, nn.BatchNorm1d/2d/3d, nn.RMSNorm; y = layer(x); layer.train() / layer.eval(); print(…).",
    zh: "第 {line} 行第 {col} 列：不支持“{what}”。代码框能读懂：torch 的 import；`x = torch.rand / randn / ones / zeros(…)`、`torch.arange(…).reshape(…)`、`torch.tensor([…])`；`torch.manual_seed(n)`；`nn.LayerNorm`、`nn.InstanceNorm1d/2d/3d`、`nn.GroupNorm`、`nn.BatchNorm1d/2d/3d`、`nn.RMSNorm`；`y = layer(x)`；`layer.train()` / `layer.eval()`；`print(…)`。",
  },
  'code.x_rank': {
    en: "Line {line}, column {col}: the page takes tensors of 1 to {max} dimensions (got {rank}).",
    zh: "第 {line} 行第 {col} 列：本页接受 1 到 {max} 维的张量（实际为 {rank} 维）。",
  },
  'code.x_too_big': {
    en: "Line {line}, column {col}: {count} elements; the page computes at most {max}.",
    zh: "第 {line} 行第 {col} 列：共 {count} 个元素；本页最多计算 {max} 个。",
  },

  'err.attr.lang': {
    en: "lang=\"{value}\" is not available: <normlab-compare> speaks English (en) and Chinese (zh, zh-CN, zh-Hans).",
    zh: "lang=\"{value}\" 不可用：<normlab-compare> 只支持英文（en）和中文（zh、zh-CN、zh-Hans）。",
  },
  'err.attr.page_url': {
    en: "page-url=\"{value}\" is not a web address (http or https): give the full page's address, or page-url=\"\" for no link.",
    zh: "page-url=\"{value}\" 不是网址（http 或 https）：请给出完整页面的地址，或用 page-url=\"\" 表示不显示链接。",
  },
  'err.attr.view': {
    en: "view=\"{value}\" is not a view: use compact or full.",
    zh: "view=\"{value}\" 不是可用的视图：请用 compact 或 full。",
  },
  'err.field.in': {
    en: "{field}: {message}",
    zh: "{field}：{message}",
  },
  'err.field.int': {
    en: "{field} must be a whole number, {min} or more (got “{value}”).",
    zh: "{field} 必须是不小于 {min} 的整数（实际为“{value}”）。",
  },
  'err.field.number': {
    en: "{field} must be a number, such as 1e-5 (got “{value}”).",
    zh: "{field} 必须是数字，例如 1e-5（实际为“{value}”）。",
  },
  'err.field.number_none': {
    en: "{field} must be a number, such as 0.1, or None (got “{value}”).",
    zh: "{field} 必须是数字（例如 0.1）或 None（实际为“{value}”）。",
  },
  'err.layer.bn_rank': {
    en: "{module} expects {want} input (got {got} input).",
    zh: "{module} 需要 {want} 的输入（实际为 {got}）。",
  },
  'err.layer.bn_running': {
    en: "{module}({numFeatures}) keeps running statistics for {numFeatures} channels, but this input has C = {C} channels (axis 1).",
    zh: "{module}({numFeatures}) 为 {numFeatures} 个通道保存运行统计量，但这个输入的通道数 C = {C}（第 1 维）。",
  },
  'err.layer.bn_single': {
    en: "Expected more than 1 value per channel when training, got input size [{size}].",
    zh: "训练时每个通道需要多于 1 个值，输入大小为 [{size}]。",
  },
  'err.layer.bn_weight': {
    en: "{module}({numFeatures}) has a weight of {numFeatures} elements, one per channel, but this input has C = {C} channels (axis 1).",
    zh: "{module}({numFeatures}) 的权重有 {numFeatures} 个元素（每个通道一个），但这个输入的通道数 C = {C}（第 1 维）。",
  },
  'err.layer.dtype_long': {
    en: "The input is an integer (int64) tensor, and PyTorch normalizes only floating-point tensors: add .float() or dtype=torch.float.",
    zh: "输入是整数（int64）张量，而 PyTorch 只对浮点张量做归一化：请加上 `.float()` 或 `dtype=torch.float`。",
  },
  'err.layer.field': {
    en: "Unknown setting “{field}” for {kind}.",
    zh: "{kind} 没有设置项“{field}”。",
  },
  'err.layer.gn_divisible': {
    en: "GroupNorm cannot split this input’s C = {channels} channels (shape [{shape}]) into {groups} groups.",
    zh: "GroupNorm 无法把这个输入（形状 [{shape}]）的 C = {channels} 个通道分成 {groups} 组。",
  },
  'err.layer.gn_groups': {
    en: "num_channels must be divisible by num_groups: {channels} channels cannot be split into {groups} groups.",
    zh: "num_channels 必须能被 num_groups 整除：{channels} 个通道无法分成 {groups} 组。",
  },
  'err.layer.gn_rank': {
    en: "GroupNorm expects input of shape (N, C, *), at least 2D (got {got} input).",
    zh: "GroupNorm 需要形状为 (N, C, *)、至少 2 维的输入（实际为 {got}）。",
  },
  'err.layer.gn_single': {
    en: "Expected more than 1 value per channel when training, got input size [{size}] (GroupNorm with groups of one element).",
    zh: "训练时每个通道需要多于 1 个值，输入大小为 [{size}]（GroupNorm 的每组只有一个元素）。",
  },
  'err.layer.gn_weight': {
    en: "GroupNorm was built for num_channels = {numChannels}, so its weight has {numChannels} elements, but this input (shape [{shape}]) has C = {channels} channels.",
    zh: "GroupNorm 按 num_channels = {numChannels} 构造，权重有 {numChannels} 个元素，但这个输入（形状 [{shape}]）的通道数 C = {channels}。",
  },
  'err.layer.in_momentum_none': {
    en: "InstanceNorm does not support momentum=None in PyTorch 1.13.",
    zh: "PyTorch 1.13 的 InstanceNorm 不支持 momentum=None。",
  },
  'err.layer.in_rank': {
    en: "{module} expects {want} input (got {got} input).",
    zh: "{module} 需要 {want} 的输入（实际为 {got}）。",
  },
  'err.layer.in_running_batched': {
    en: "{module}({numFeatures}) keeps running statistics for {numFeatures} channels, but it reads this input as ({axes}) with C = {C}.",
    zh: "{module}({numFeatures}) 为 {numFeatures} 个通道保存运行统计量，但它把这个输入读作（{axes}），C = {C}。",
  },
  'err.layer.in_running_unbatched': {
    en: "{module} takes a {rank}-D input as one unbatched sample ({axes}) with C = {C}, so running statistics for {numFeatures} channels do not fit.",
    zh: "{module} 把 {rank} 维输入当作一个不带批次维的样本（{axes}），C = {C}，所以为 {numFeatures} 个通道保存的运行统计量对不上。",
  },
  'err.layer.in_spatial': {
    en: "Expected more than 1 spatial element when training, got input size [{size}].",
    zh: "训练时需要多于 1 个空间元素，输入大小为 [{size}]。",
  },
  'err.layer.in_weight_batched': {
    en: "{module}({numFeatures}, affine=True) has a weight of {numFeatures} elements, one per channel, but it reads this input as ({axes}) with C = {C}.",
    zh: "{module}({numFeatures}, affine=True) 的权重有 {numFeatures} 个元素（每个通道一个），但它把这个输入读作（{axes}），C = {C}。",
  },
  'err.layer.in_weight_unbatched': {
    en: "{module} takes a {rank}-D input as one unbatched sample ({axes}) with C = {C}, so a weight of {numFeatures} elements, one per channel, does not fit.",
    zh: "{module} 把 {rank} 维输入当作一个不带批次维的样本（{axes}），C = {C}，所以 {numFeatures} 个元素的权重（每个通道一个）对不上。",
  },
  'err.layer.init': {
    en: "PyTorch cannot build {module} from these arguments: {message}",
    zh: "PyTorch 无法用这些参数构造 {module}：{message}",
  },
  'err.layer.kind': {
    en: "Unknown layer “{kind}”.",
    zh: "未知的层“{kind}”。",
  },
  'err.layer.ln_empty': {
    en: "normalized_shape is empty: LayerNorm needs at least one dimension to normalize over.",
    zh: "normalized_shape 为空：LayerNorm 至少需要一个要归一化的维度。",
  },
  'err.layer.ln_shape': {
    en: "Given normalized_shape=[{normalizedShape}], expected input with shape [*, {normalizedShape}], but got input of size [{shape}].",
    zh: "normalized_shape=[{normalizedShape}] 要求输入形状为 [*, {normalizedShape}]，但输入大小为 [{shape}]。",
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
  'err.lib.divisible': {
    en: "{op}: Expected number of channels in input to be divisible by num_groups, but got input of shape {shape} and num_groups={groups}",
    zh: "{op}：输入的通道数必须能被 num_groups 整除，但输入形状为 {shape}，num_groups={groups}",
  },
  'err.lib.english': {
    en: "{message}",
    zh: "（以下为英文原文）{message}",
  },
  'err.lib.min': {
    en: "{op}: {name} must be a finite number >= {min}, got {got}",
    zh: "{op}：{name} 必须是不小于 {min} 的有限数，实际为 {got}",
  },
  'err.lib.more_than_one': {
    en: "{op}: Expected more than 1 {what} when training, got input size {size}",
    zh: "{op}：训练时{what}必须多于 1 个，输入大小为 {size}",
  },
  'err.lib.normalized_shape': {
    en: "{op}: Given normalized_shape={normalizedShape}, expected input with shape {want}, but got input of size{shape}",
    zh: "{op}：normalized_shape={normalizedShape} 要求输入形状为 {want}，但输入大小为 {shape}",
  },
  'err.lib.per_channel': {
    en: "{op}: {name} should contain {want} elements (one per channel) not {got}",
    zh: "{op}：{name} 应有 {want} 个元素（每个通道一个），实际为 {got} 个",
  },
  'err.lib.range': {
    en: "{op}: {name} must be a number in [{min}, {max}], got {got}",
    zh: "{op}：{name} 必须是 [{min}, {max}] 范围内的数，实际为 {got}",
  },
  'err.lib.what_channel': {
    en: "value per channel",
    zh: "每个通道的值",
  },
  'err.lib.what_spatial': {
    en: "spatial element",
    zh: "空间元素",
  },
  'err.library': {
    en: "The normlab library refused: {message}",
    zh: "normlab 库拒绝了这次计算：{message}",
  },
  'err.pie.empty': {
    en: "pie-data has no slices.",
    zh: "pie-data 中没有任何扇区。",
  },
  'err.pie.json': {
    en: "pie-data is not valid JSON ({message}).",
    zh: "pie-data 不是有效的 JSON（{message}）。",
  },
  'err.pie.label': {
    en: "Every slice of pie-data needs a text label (slice {index} has none).",
    zh: "pie-data 的每个扇区都需要文字标签（第 {index} 个扇区没有）。",
  },
  'err.pie.positive': {
    en: "pie-data needs at least one value greater than 0.",
    zh: "pie-data 至少需要一个大于 0 的值。",
  },
  'err.pie.type': {
    en: "pie-data must be an object such as {\"NLP\": 60} or an array of [label, value] pairs (got {got}).",
    zh: "pie-data 必须是形如 {\"NLP\": 60} 的对象，或由 [\"标签\", 数值] 这样的对组成的数组（实际为 {got}）。",
  },
  'err.pie.value': {
    en: "The pie slice “{label}” needs a number ≥ 0 (got {got}).",
    zh: "扇区“{label}”需要一个 ≥ 0 的数（实际为 {got}）。",
  },
  'err.seed': {
    en: "The seed must be a whole number from 0 to 4294967295 (got “{value}”).",
    zh: "种子必须是 0 到 4294967295 之间的整数（实际为“{value}”）。",
  },
  'err.shape.code': {
    en: "“{text}” is code: this field takes the sizes as numbers, such as 3,4 or 2x3x4. Paste PyTorch code into the code box.",
    zh: "“{text}”是代码：这里只填写各维度的大小，例如 3,4 或 2x3x4。PyTorch 代码请粘贴到代码框中。",
  },
  'err.shape.dim': {
    en: "Every size must be a whole number, 0 or more (got {value}).",
    zh: "每个维度的大小都必须是不小于 0 的整数（实际为 {value}）。",
  },
  'err.shape.empty': {
    en: "Enter a shape, for example 2, 3, 4.",
    zh: "请输入形状，例如 2, 3, 4。",
  },
  'err.shape.empty_entry': {
    en: "“{text}” has an empty place where a size should be: write the sizes such as 2, 3, 4 (one trailing comma, as in 4, is fine).",
    zh: "“{text}”中有一处缺少大小：请写成 2, 3, 4 这样（像 4, 这样末尾只多一个逗号是可以的）。",
  },
  'err.shape.rank': {
    en: "A tensor may have at most {max} dimensions (got {rank}).",
    zh: "张量最多 {max} 维（实际为 {rank} 维）。",
  },
  'err.shape.token': {
    en: "“{token}” is not a size: sizes are whole numbers separated by commas, spaces or x, such as 2, 3, 4.",
    zh: "“{token}”不是维度大小：各维度大小是用逗号、空格或 x 分隔的整数，例如 2, 3, 4。",
  },
  'err.shape.too_big': {
    en: "Shape {shape} has {count} elements; the page computes at most {max}.",
    zh: "形状 {shape} 有 {count} 个元素，本页最多计算 {max} 个。",
  },
  'err.shape.too_big_empty': {
    en: "Shape {shape} has no elements, but its other sizes multiply to {count}; keep that at most {max}.",
    zh: "形状 {shape} 没有元素，但其余维度的乘积为 {count}，不能超过 {max}。",
  },
  'err.values.bracket': {
    en: "“{found}” closes a bracket opened with the other kind: “{want}” was expected.",
    zh: "“{found}”与前面的左括号不配对，这里应为“{want}”。",
  },
  'err.values.call': {
    en: "“{name}(…)” is not a tensor print: paste numbers, a nested list such as [[1, 2], [3, 4]], or a print such as tensor([[...]]) or array([[...]]).",
    zh: "“{name}(…)”不是张量的打印结果：请粘贴数字、嵌套列表（例如 [[1, 2], [3, 4]]），或 tensor([[...]])、array([[...]]) 这样的打印结果。",
  },
  'err.values.code': {
    en: "“{text}” is code: this box takes numbers, a nested list or a tensor print. Paste PyTorch code into the code box.",
    zh: "“{text}”是代码：这里只接受数字、嵌套列表或张量的打印结果。PyTorch 代码请粘贴到代码框中。",
  },
  'err.values.count': {
    en: "Got {got} numbers, but shape {shape} needs {want}.",
    zh: "得到 {got} 个数，但形状 {shape} 需要 {want} 个。",
  },
  'err.values.empty': {
    en: "No numbers given.",
    zh: "没有给出任何数。",
  },
  'err.values.keyword': {
    en: "“{name}=” is not part of a tensor print (known: dtype, grad_fn, requires_grad, device, size, shape).",
    zh: "“{name}=”不属于张量的打印结果（可识别的有：dtype、grad_fn、requires_grad、device、size、shape）。",
  },
  'err.values.kind': {
    en: "Unknown kind of values “{kind}”.",
    zh: "未知的数值类型“{kind}”。",
  },
  'err.values.ragged': {
    en: "The nested lists are not rectangular: rows have different lengths.",
    zh: "嵌套列表不是规则的矩形：各行长度不同。",
  },
  'err.values.rank': {
    en: "The nested lists are deeper than {max} levels.",
    zh: "嵌套列表超过 {max} 层。",
  },
  'err.values.size': {
    en: "torch.Size(...) is a shape, not values: put it in the shape field.",
    zh: "torch.Size(...) 是形状，不是数值：请填到形状一栏。",
  },
  'err.values.summarized': {
    en: "The print is shortened with “...”: PyTorch leaves out values of large tensors. Print it in full (torch.set_printoptions(profile=\"full\")) and paste it again.",
    zh: "打印结果用“...”省略了部分数值：PyTorch 打印大张量时会这样做。请完整打印（torch.set_printoptions(profile=\"full\")）后再粘贴。",
  },
  'err.values.token': {
    en: "“{token}” is not a number. Paste numbers, a nested list such as [[1, 2], [3, 4]], or a PyTorch or NumPy print such as tensor([[...]]).",
    zh: "“{token}”不是数字。请粘贴数字、嵌套列表（例如 [[1, 2], [3, 4]]），或 PyTorch、NumPy 的打印结果（例如 tensor([[...]])）。",
  },
  'err.values.too_many': {
    en: "Too many numbers: {count} (the page computes at most {max}).",
    zh: "数值太多：{count} 个（本页最多计算 {max} 个）。",
  },
  'err.values.trailing': {
    en: "Unexpected “{token}” after the closing bracket.",
    zh: "右括号之后出现了多余的“{token}”。",
  },
  'err.values.unclosed': {
    en: "A bracket is not closed.",
    zh: "有括号没有闭合。",
  },

  'label.dim': {
    en: "Dimensions",
    zh: "维数",
  },
  'label.dim.auto': {
    en: "from the rank",
    zh: "由张量维数决定",
  },
  'label.lang': {
    en: "Language",
    zh: "语言",
  },
  'label.mode': {
    en: "Mode",
    zh: "模式",
  },
  'label.mode.eval': {
    en: "eval",
    zh: "评估（eval）",
  },
  'label.mode.train': {
    en: "train",
    zh: "训练（train）",
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
    zh: "正态分布随机数（torch.randn）",
  },
  'label.values.uniform': {
    en: "uniform random (torch.rand)",
    zh: "均匀分布随机数（torch.rand）",
  },

  'layer.batch_norm': {
    en: "Batch normalization (BatchNorm)",
    zh: "批归一化（BatchNorm）",
  },
  'layer.group_norm': {
    en: "Group normalization (GroupNorm)",
    zh: "组归一化（GroupNorm）",
  },
  'layer.instance_norm': {
    en: "Instance normalization (InstanceNorm)",
    zh: "实例归一化（InstanceNorm）",
  },
  'layer.layer_norm': {
    en: "Layer normalization (LayerNorm)",
    zh: "层归一化（LayerNorm）",
  },
  'layer.rms_norm': {
    en: "RMS normalization (RMSNorm)",
    zh: "均方根归一化（RMSNorm）",
  },

  'layout.batch_norm': {
    en: "BatchNorm reads the tensor as (N, C, *): statistics per channel over the whole batch.",
    zh: "BatchNorm 把张量看作 (N, C, *)：每个通道在整个批次上计算统计量。",
  },
  'layout.group_norm': {
    en: "GroupNorm reads the tensor as (N, C, *): statistics per sample over groups of channels.",
    zh: "GroupNorm 把张量看作 (N, C, *)：每个样本在若干通道组成的组上计算统计量。",
  },
  'layout.in1d_batched': {
    en: "InstanceNorm1d reads a 3-D tensor as (N, C, L): a batch of N samples with C channels of length L.",
    zh: "InstanceNorm1d 把 3 维张量看作 (N, C, L)：N 个样本，每个样本 C 个通道，长度为 L。",
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
    zh: "InstanceNorm2d 把 3 维张量看作一张不带批次维的图像 (C, H, W)：第一个维度是通道，而不是批次。",
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
    zh: "在末尾的 normalized_shape 各维上归一化；前面每个下标各自成为一组。",
  },
  'layout.running_eval': {
    en: "In eval mode with track_running_stats=True the input’s layout only says which channel each element belongs to: every element is normalized with its channel’s running statistics.",
    zh: "在 eval 模式且 track_running_stats=True 时，输入的布局只决定每个元素属于哪个通道：每个元素都用所在通道的运行统计量归一化。",
  },

  'page.add_layer': {
    en: "Add a layer",
    zh: "添加一层",
  },
  'page.answer': {
    en: "LayerNorm over the last dimension only equals InstanceNorm1d on an (N, C, L) tensor: both normalize each row of L values. It does not equal InstanceNorm2d, which normalizes whole H×W planes: that takes LayerNorm([H, W]). With trained affine parameters they differ again, because LayerNorm has one weight per position and InstanceNorm one per channel.",
    zh: "只对最后一个维度做归一化的 LayerNorm，与作用在 (N, C, L) 张量上的 InstanceNorm1d 结果相同：两者都对每一行的 L 个值归一化。它与 InstanceNorm2d 不同，后者对整个 H×W 平面归一化，对应的是 LayerNorm([H, W])。一旦仿射参数经过训练，两者又会不同：LayerNorm 每个位置有一个权重，InstanceNorm 每个通道有一个权重。",
  },
  'page.answer_title': {
    en: "The short answer",
    zh: "简短的回答",
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
    zh: "纯 JavaScript，两遍计算",
  },
  'page.bench_note': {
    en: "Median of repeated runs on this machine, on shape {shape}; small shapes mostly measure call overhead.",
    zh: "在本机上以形状 {shape} 重复运行的中位数；小形状主要测到的是调用开销。",
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
    zh: "normlab，标量 wasm",
  },
  'page.bench_simd': {
    en: "normlab, SIMD128 wasm",
    zh: "normlab，SIMD128 wasm",
  },
  'page.bench_text': {
    en: "Times normlab (SIMD and scalar WebAssembly) and a plain JavaScript two-pass implementation of LayerNorm over the last dimension and of InstanceNorm on the current tensor.",
    zh: "在当前张量上测量 normlab（SIMD 与标量 WebAssembly）以及纯 JavaScript 两遍实现的 LayerNorm（最后一个维度）和 InstanceNorm 的耗时。",
  },
  'page.bench_title': {
    en: "Speed on this shape",
    zh: "当前形状下的速度",
  },
  'page.choose_kind': {
    en: "choose a layer…",
    zh: "选择一种层…",
  },
  'page.code_corrected': {
    en: "The line that does what the comment says:",
    zh: "符合注释所说的写法：",
  },
  'page.code_groups': {
    en: "{module} normalizes x of shape {shape} over dims {axes}: {groupCount} groups of {groupSize} elements each.",
    zh: "{module} 在形状为 {shape} 的 x 上沿维度 {axes} 归一化：共 {groupCount} 组，每组 {groupSize} 个元素。",
  },
  'page.code_hint': {
    en: "A few lines as blog posts and docs show them: x = torch.rand(...), the nn layers, y = layer(x). The page reads the code (it never runs it), puts the tensor and the layers into the editors below, and says what PyTorch 1.13 does with each line.",
    zh: "博客和文档里常见的几行代码即可：x = torch.rand(...)、nn 中的层、y = layer(x)。本页只解析代码（从不执行），把张量和各层填入下方的编辑器，并逐行说明 PyTorch 1.13 会怎样处理。",
  },
  'page.code_label': {
    en: "PyTorch code",
    zh: "PyTorch 代码",
  },
  'page.code_line': {
    en: "line {line}:",
    zh: "第 {line} 行：",
  },
  'page.code_no_x': {
    en: "The code builds no x (x = torch.rand(...) or similar): the layers run on the tensor set below.",
    zh: "代码中没有构造 x（例如 x = torch.rand(...)）：各层在下方设置的张量上运行。",
  },
  'page.code_not_applied': {
    en: "{name} is never applied to x in this code.",
    zh: "这段代码中没有把 {name} 作用在 x 上。",
  },
  'page.code_raises': {
    en: "PyTorch raises an exception here:",
    zh: "PyTorch 在这里抛出异常：",
  },
  'page.code_read_again': {
    en: "Read the code again",
    zh: "重新读取代码",
  },
  'page.code_running': {
    en: "{module} in eval mode normalizes x of shape {shape} with its running statistics, one mean and variance per channel: nothing is reduced over this input.",
    zh: "{module} 在 eval 模式下用滑动统计量（每个通道一个均值和方差）归一化形状为 {shape} 的 x：不在这个输入上求统计量。",
  },
  'page.code_stale': {
    en: "The tensor or the layers were changed by hand after the code was read, so this report no longer applies.",
    zh: "读取代码之后，张量或层又被手动修改过，以下说明已不再适用。",
  },
  'page.code_title': {
    en: "Paste PyTorch code",
    zh: "粘贴 PyTorch 代码",
  },
  'page.code_too_many': {
    en: "Not compared: the page compares the first {max} layers.",
    zh: "未参与对比：本页只对比前 {max} 个层。",
  },
  'page.code_use_corrected': {
    en: "Compare the corrected line",
    zh: "对比修正后的这一行",
  },
  'page.code_values': {
    en: "x is random in the code: the page draws its own values of shape {shape} (the browser cannot reproduce torch's generator). The groups and the exceptions are torch's; the numbers are for these values.",
    zh: "代码中的 x 是随机的：本页自行生成形状为 {shape} 的数值（浏览器无法复现 torch 的随机数生成器）。分组和异常与 torch 一致，数值对应本页生成的这些值。",
  },
  'page.col_call_mean': {
    en: "mean (this call)",
    zh: "均值（本次调用）",
  },
  'page.col_call_var': {
    en: "var, unbiased (this call)",
    zh: "无偏方差（本次调用）",
  },
  'page.col_channel': {
    en: "channel",
    zh: "通道",
  },
  'page.col_group': {
    en: "group",
    zh: "组",
  },
  'page.col_index': {
    en: "index",
    zh: "下标",
  },
  'page.colon': {
    en: ": ",
    zh: "：",
  },
  'page.copied': {
    en: "Copied",
    zh: "已复制",
  },
  'page.copy': {
    en: "Copy",
    zh: "复制",
  },
  'page.copy_name_element': {
    en: "the <normlab-compare> element",
    zh: "<normlab-compare> 元素",
  },
  'page.copy_name_iframe': {
    en: "the iframe",
    zh: "iframe 代码",
  },
  'page.copy_name_layer': {
    en: "layer {layer} in PyTorch",
    zh: "层 {layer} 的 PyTorch 代码",
  },
  'page.copy_name_layers': {
    en: "the layers in PyTorch",
    zh: "各层的 PyTorch 代码",
  },
  'page.copy_name_snippet': {
    en: "the comparison in PyTorch",
    zh: "对比的 PyTorch 代码",
  },
  'page.copy_named': {
    en: "Copy: {name}",
    zh: "复制：{name}",
  },
  'page.display_limit': {
    en: "The tables list tensors of up to {limit} elements; this one has {size}. The grid above, the verdict, the features and the downloads cover the whole tensor.",
    zh: "表格只列出最多 {limit} 个元素的张量；当前张量有 {size} 个元素。上方的网格、结论、特性和下载文件仍覆盖整个张量。",
  },
  'page.embed_title': {
    en: "Embed this comparison",
    zh: "嵌入这个对比",
  },
  'page.empty_tensor': {
    en: "The tensor {shape} has no elements: PyTorch returns an empty tensor of the same shape, so there is nothing to draw or compare.",
    zh: "张量 {shape} 没有元素：PyTorch 返回同样形状的空张量，因此没有可绘制或比较的内容。",
  },
  'page.export_disabled': {
    en: "The downloads are off while the input above has an error: fix it to export the current state.",
    zh: "上方输入有错误，暂时无法下载：改正后即可导出当前状态。",
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
    en: "Features of each layer",
    zh: "各层的特性",
  },
  'page.flow_caption': {
    en: "The numbers of group {group} of {layer} (select another element above).",
    zh: "{layer} 第 {group} 组的数值（在上方选择其他元素可切换）。",
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
    zh: "normlab 用 WebAssembly 精确计算 PyTorch 的归一化层（float32，遵循 torch 1.13 的语义）。所有数据都不会离开你的浏览器。",
  },
  'page.grid_axes': {
    en: "Across: {cols}; down: {rows}.",
    zh: "横向：{cols}；纵向：{rows}。",
  },
  'page.grid_axes_1d': {
    en: "Across: {cols}.",
    zh: "横向：{cols}。",
  },
  'page.grid_hint': {
    en: "Each colour is one normalization group: its elements share one mean and one standard deviation. Point at or select an element (the arrow keys move it, Home and End go to the ends of its row) to see its group’s numbers.",
    zh: "每种颜色是一个归一化组：组内元素共用同一个均值和标准差。指向或选中一个元素（方向键可移动，Home 和 End 跳到所在行的两端）即可查看其所在组的数值。",
  },
  'page.grid_label': {
    en: "{layer}: {count} groups of {size} elements",
    zh: "{layer}：{count} 组，每组 {size} 个元素",
  },
  'page.grid_summary': {
    en: "Groups: {count}, of {size} elements each, normalized over {axes}.",
    zh: "共 {count} 组，每组 {size} 个元素，在 {axes} 上归一化。",
  },
  'page.grid_wrapped': {
    en: "Each row of {cols} elements is drawn in lines of {wrap}.",
    zh: "每行 {cols} 个元素分成每行 {wrap} 个绘制。",
  },
  'page.group_info': {
    en: "Element {index} is in group {group} ({size} elements): mean μ = {mean}, std √(σ² + ε) = {std}.",
    zh: "元素 {index} 属于第 {group} 组（{size} 个元素）：均值 μ = {mean}，标准差 √(σ² + ε) = {std}。",
  },
  'page.group_info_rms': {
    en: "Element {index} is in group {group} ({size} elements): RMSNorm subtracts no mean; rms √(mean(x²) + ε) = {std}.",
    zh: "元素 {index} 属于第 {group} 组（{size} 个元素）：RMSNorm 不减去均值；均方根 √(mean(x²) + ε) = {std}。",
  },
  'page.groups_title': {
    en: "Which elements are normalized together",
    zh: "哪些元素一起归一化",
  },
  'page.input_preview': {
    en: "The input x",
    zh: "输入 x",
  },
  'page.layer_kind': {
    en: "Layer {layer}",
    zh: "第 {layer} 层",
  },
  'page.layer_text': {
    en: "As written:",
    zh: "原文：",
  },
  'page.layers_title': {
    en: "The layers to compare",
    zh: "要比较的层",
  },
  'page.load_failed': {
    en: "The WebAssembly kernels could not be loaded: {message}",
    zh: "无法加载 WebAssembly 内核：{message}",
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
  'page.p_from_input': {
    en: "from the input",
    zh: "由输入决定",
  },
  'page.p_last_dim': {
    en: "last dim",
    zh: "最后一维",
  },
  'page.p_random_none': {
    en: "none",
    zh: "无",
  },
  'page.pair': {
    en: "{a} vs {b}",
    zh: "{a} 与 {b}",
  },
  'page.paste': {
    en: "Your values",
    zh: "你的数值",
  },
  'page.paste_hint': {
    en: "Numbers separated by spaces or commas (as many as the shape holds), or a nested list such as [[1, 2], [3, 4]], which sets the shape.",
    zh: "用空格或逗号分隔的数字（个数与形状一致），或嵌套列表，例如 [[1, 2], [3, 4]]，此时由列表决定形状。",
  },
  'page.pie_desc': {
    en: "Share of use cases, from the source document:",
    zh: "应用场景占比，数据来自原文：",
  },
  'page.preset_affine': {
    en: "with random affine parameters",
    zh: "使用随机仿射参数",
  },
  'page.preset_equal': {
    en: "LayerNorm(last dim) vs InstanceNorm1d on (2, 3, 4)",
    zh: "在 (2, 3, 4) 上比较 LayerNorm（最后一维）与 InstanceNorm1d",
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
    zh: "试一试：",
  },
  'page.remove_layer': {
    en: "Remove layer {layer}",
    zh: "删除第 {layer} 层",
  },
  'page.running_after_caption': {
    en: "running statistics after this training call, per channel",
    zh: "这次训练调用之后的运行统计量，按通道",
  },
  'page.running_before': {
    en: "Before this call: running_mean 0 and running_var 1, a freshly built module’s.",
    zh: "调用之前：running_mean 为 0，running_var 为 1，即新建模块的初始值。",
  },
  'page.running_eval_use': {
    en: "In eval mode the module normalizes channel c with these: y = (x − running_mean[c]) / √(running_var[c] + eps), times weight[c] plus bias[c] with affine=True.",
    zh: "eval 模式下，模块用这些统计量归一化通道 c：y = (x − running_mean[c]) / √(running_var[c] + eps)，affine=True 时再乘 weight[c]、加 bias[c]。",
  },
  'page.running_nbt_bn': {
    en: "num_batches_tracked: 0 before, {count} after (BatchNorm counts its training calls).",
    zh: "num_batches_tracked：调用前为 0，调用后为 {count}（BatchNorm 统计训练调用的次数）。",
  },
  'page.running_nbt_in': {
    en: "num_batches_tracked stays 0: InstanceNorm never counts its calls.",
    zh: "num_batches_tracked 保持为 0：InstanceNorm 从不统计调用次数。",
  },
  'page.running_rule': {
    en: "Update: new = (1 − {momentum}) · old + {momentum} · this call’s value; the variance mixed in is the unbiased one, var · n / (n − 1) with n = {n}.",
    zh: "更新：新值 = (1 − {momentum}) · 旧值 + {momentum} · 本次调用的值；混入的是无偏方差 var · n / (n − 1)，其中 n = {n}。",
  },
  'page.running_rule_cumulative': {
    en: "momentum=None: a cumulative average, new = old + (this call’s value − old) / num_batches_tracked; after the first batch that is this call’s mean and unbiased variance (n = {n}).",
    zh: "momentum=None：累积平均，新值 = 旧值 +（本次调用的值 − 旧值）/ num_batches_tracked；第一个批次之后就是本次调用的均值和无偏方差（n = {n}）。",
  },
  'page.running_rule_in': {
    en: "Update: new = (1 − {momentum}) · old + {momentum} · this call’s value, where this call’s value is the batch’s average of the instances’ means and of their unbiased variances, var · n / (n − 1) with n = {n}.",
    zh: "更新：新值 = (1 − {momentum}) · 旧值 + {momentum} · 本次调用的值；本次调用的值是批次中各实例均值的平均和各实例无偏方差 var · n / (n − 1) 的平均，其中 n = {n}。",
  },
  'page.running_used_caption': {
    en: "the running statistics it uses, per channel (none are computed from this input)",
    zh: "它使用的运行统计量，按通道（不从这个输入计算）",
  },
  'page.shape_hint': {
    en: "for example 2,3,4 or 1x2x3x4 (1 to 5 dimensions, at most {max} elements)",
    zh: "例如 2,3,4 或 1x2x3x4（1 到 5 个维度，最多 {max} 个元素）",
  },
  'page.share_text': {
    en: "The address of this page holds the whole experiment: copy it to share exactly this comparison.",
    zh: "本页地址包含整个实验：复制它即可分享这个对比。",
  },
  'page.share_title': {
    en: "Share and export",
    zh: "分享与导出",
  },
  'page.snippet_diff': {
    en: "{a} vs {b}, largest difference:",
    zh: "{a} 与 {b} 的最大差值：",
  },
  'page.snippet_empty': {
    en: "x has no elements: there is no difference to print",
    zh: "x 没有元素：没有差值可打印",
  },
  'page.snippet_eval': {
    en: "eval: uses the fresh running statistics (mean 0, variance 1)",
    zh: "eval：使用初始的运行统计量（均值 0，方差 1）",
  },
  'page.snippet_left_out': {
    en: "{layer} is left out: the page shows its error",
    zh: "未包含 {layer}：页面上显示了它的错误",
  },
  'page.snippet_left_out_torch': {
    en: "{layer} is left out: torch raises {error}",
    zh: "未包含 {layer}：torch 会抛出 {error}",
  },
  'page.snippet_params': {
    en: "{layer}: the page's random parameters, not torch's initial ones",
    zh: "{layer}：页面的随机参数，不是 torch 的初始值",
  },
  'page.snippet_rms': {
    en: "torch < 2.4 has no nn.RMSNorm: the same computation as torch 2.4's",
    zh: "torch 2.4 之前没有 nn.RMSNorm：这是与 torch 2.4 相同的计算",
  },
  'page.snippet_running': {
    en: "{layer} running_mean, running_var after this training step:",
    zh: "{layer} 在这一步训练后的 running_mean 和 running_var：",
  },
  'page.snippet_title': {
    en: "The same comparison in PyTorch",
    zh: "用 PyTorch 做同样的对比",
  },
  'page.snippet_x': {
    en: "x exactly as on the page, every float32 value (the page's random values are its own, not torch's)",
    zh: "与页面完全相同的 x，写出每个 float32 值（页面的随机值由它自己生成，不是 torch 的）",
  },
  'page.stale_note': {
    en: "Out of date: these results are for the last valid input. Correct the field with the error above to update them.",
    zh: "已过期：以下结果对应上一次有效的输入。改正上方报错的字段后即会更新。",
  },
  'page.stats_caption': {
    en: "mean and variance of every group",
    zh: "每组的均值和方差",
  },
  'page.tables_title': {
    en: "The numbers",
    zh: "数值",
  },
  'page.tensor_title': {
    en: "The tensor",
    zh: "张量",
  },
  'page.uses_title': {
    en: "Where they are used",
    zh: "应用场景",
  },
  'page.values_caption': {
    en: "Input, outputs and element-wise differences",
    zh: "输入、各层输出与逐元素差值",
  },
  'page.verdict_title': {
    en: "Verdict",
    zh: "结论",
  },

  'pie.custom_title': {
    en: "Pie chart of the given data",
    zh: "所给数据的饼图",
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
  'pie.source_note': {
    en: "As given in the source document’s illustration: these shares are not measured data.",
    zh: "数据取自原文档的插图，并非测量所得。",
  },
  'pie.title': {
    en: "Where LayerNorm and InstanceNorm are used",
    zh: "LayerNorm 与 InstanceNorm 的应用场景",
  },

  'table.depends_on_batch': {
    en: "Depends on the batch",
    zh: "依赖批次",
  },
  'table.error64': {
    en: "Largest error vs float64",
    zh: "与 float64 计算的最大误差",
  },
  'table.group_size': {
    en: "Elements per group",
    zh: "每组元素数",
  },
  'table.group_size_running': {
    en: "{size} per channel",
    zh: "每个通道 {size} 个",
  },
  'table.groups': {
    en: "Groups",
    zh: "组数",
  },
  'table.groups_running': {
    en: "{count} channels, each with its own running statistics",
    zh: "{count} 个通道，各用自己的运行统计量",
  },
  'table.init.initial': {
    en: "initial values (1 for a weight, 0 for a bias)",
    zh: "初始值（权重为 1，偏置为 0）",
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
    en: "Parameters",
    zh: "参数",
  },
  'table.reduced': {
    en: "Normalized over",
    zh: "归一化的维度",
  },
  'table.reduced_dims': {
    en: "{axes} (dim={dims})",
    zh: "{axes}（dim={dims}）",
  },
  'table.reduced_running': {
    en: "nothing in this input: each channel uses its running statistics",
    zh: "不在这个输入上计算：每个通道使用自己的运行统计量",
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
    zh: "使用（eval 模式）",
  },
  'table.running_stats': {
    en: "Running statistics",
    zh: "运行统计量",
  },
  'table.typical_use': {
    en: "Typical use",
    zh: "典型应用",
  },
  'table.weight_bias': {
    en: "weight and bias, each {shape}: {init}",
    zh: "权重和偏置，形状都是 {shape}：{init}",
  },
  'table.weight_only': {
    en: "weight {shape}, no bias: {init}",
    zh: "权重 {shape}，没有偏置：{init}",
  },
  'table.yes': {
    en: "yes",
    zh: "是",
  },

  'train.acc_short': {
    en: "test accuracy {acc}%",
    zh: "测试准确率 {acc}%",
  },
  'train.act_relu': {
    en: "ReLU",
    zh: "ReLU（线性整流）",
  },
  'train.act_tanh': {
    en: "tanh",
    zh: "tanh（双曲正切）",
  },
  'train.activation': {
    en: "Activation",
    zh: "激活函数",
  },
  'train.again': {
    en: "Train again",
    zh: "重新训练",
  },
  'train.axis_accuracy': {
    en: "test accuracy",
    zh: "测试准确率",
  },
  'train.axis_batch': {
    en: "batch size (log scale)",
    zh: "批大小（对数刻度）",
  },
  'train.axis_error': {
    en: "final test error",
    zh: "最终测试错误率",
  },
  'train.axis_grad': {
    en: "‖grad‖ {layer}",
    zh: "‖梯度‖ {layer}",
  },
  'train.axis_loss': {
    en: "training loss",
    zh: "训练损失",
  },
  'train.axis_step': {
    en: "training step",
    zh: "训练步数",
  },
  'train.batch_size': {
    en: "Batch size",
    zh: "批大小",
  },
  'train.bn_eval': {
    en: "running statistics (eval mode, as deployed)",
    zh: "滑动统计量（eval 模式，即部署时）",
  },
  'train.bn_stats': {
    en: "BatchNorm’s test accuracy uses",
    zh: "BatchNorm 的测试准确率使用",
  },
  'train.bn_train': {
    en: "the test batch’s own statistics (train mode)",
    zh: "测试批次自身的统计量（train 模式）",
  },
  'train.chart_grads_title': {
    en: "Gradient norm of each layer’s weights over training",
    zh: "训练过程中每层权重的梯度范数",
  },
  'train.chart_loss_title': {
    en: "Training loss and test accuracy of each model",
    zh: "每个模型的训练损失和测试准确率",
  },
  'train.chart_sweep_title': {
    en: "Final test error against batch size",
    zh: "最终测试错误率与批大小的关系",
  },
  'train.col_acc': {
    en: "{norm}: test accuracy",
    zh: "{norm}：测试准确率",
  },
  'train.col_error': {
    en: "{norm}: test error",
    zh: "{norm}：测试错误率",
  },
  'train.col_loss': {
    en: "{norm}: loss",
    zh: "{norm}：损失",
  },
  'train.col_model': {
    en: "model",
    zh: "模型",
  },
  'train.col_test_acc': {
    en: "test accuracy now",
    zh: "当前测试准确率",
  },
  'train.data_title': {
    en: "Data",
    zh: "数据",
  },
  'train.dataset': {
    en: "Dataset",
    zh: "数据集",
  },
  'train.ds_blobs': {
    en: "Gaussian blobs (3 classes)",
    zh: "高斯团簇（3 类）",
  },
  'train.ds_circles': {
    en: "circles",
    zh: "同心圆",
  },
  'train.ds_spirals': {
    en: "two spirals",
    zh: "双螺旋",
  },
  'train.ds_xor': {
    en: "XOR",
    zh: "异或（XOR）",
  },
  'train.err_activation': {
    en: "The activation must be one of {choices} (got “{value}”).",
    zh: "激活函数必须是 {choices} 之一（实际为“{value}”）。",
  },
  'train.err_batch': {
    en: "The batch size must be a whole number from {min} to {max} (got “{value}”).",
    zh: "批大小必须是 {min} 到 {max} 之间的整数（实际为“{value}”）。",
  },
  'train.err_bn_stats': {
    en: "BatchNorm’s statistics must be one of {choices} (got “{value}”).",
    zh: "BatchNorm 的统计量必须是 {choices} 之一（实际为“{value}”）。",
  },
  'train.err_dataset': {
    en: "The dataset must be one of {choices} (got “{value}”).",
    zh: "数据集必须是 {choices} 之一（实际为“{value}”）。",
  },
  'train.err_groups': {
    en: "GroupNorm’s number of groups must be a whole number from {min} to {max} (got “{value}”).",
    zh: "GroupNorm 的组数必须是 {min} 到 {max} 之间的整数（实际为“{value}”）。",
  },
  'train.err_groups_divide': {
    en: "GroupNorm’s {groups} groups must divide every hidden size, and {units} units do not split into {groups} equal groups: change the groups or the hidden sizes.",
    zh: "GroupNorm 的组数 {groups} 必须整除每个隐藏层的大小，而 {units} 个单元不能平均分成 {groups} 组：请修改组数或隐藏层大小。",
  },
  'train.err_hidden': {
    en: "The hidden layers must be {minLayers} to {maxLayers} sizes from {minUnits} to {maxUnits}, separated by commas, such as 32,32 (got “{value}”).",
    zh: "隐藏层必须是 {minLayers} 到 {maxLayers} 个 {minUnits} 到 {maxUnits} 之间的大小，用逗号分隔，例如 32,32（实际为“{value}”）。",
  },
  'train.err_instance_norm': {
    en: "InstanceNorm does not apply here: it normalizes each channel of each sample over its positions (L in (N, C, L)), and these features are (N, C), one value per channel, so there is nothing to normalize over. torch’s InstanceNorm1d would read (N, C) as unbatched (C, L) instead. Leave it out to race the others.",
    zh: "InstanceNorm 不适用于这里：它对每个样本的每个通道在各个位置上归一化，即 (N, C, L) 中的 L 维；而这里的特征是 (N, C)，每个通道只有一个值，没有可以归一化的范围。torch 的 InstanceNorm1d 会把 (N, C) 当作无批次的 (C, L)。去掉它即可比较其他层。",
  },
  'train.err_lr': {
    en: "The learning rate must be a number above {min} and at most {max} (got “{value}”).",
    zh: "学习率必须是大于 {min}、不超过 {max} 的数（实际为“{value}”）。",
  },
  'train.err_noise': {
    en: "The noise must be a number from {min} to {max} (got “{value}”).",
    zh: "噪声必须是 {min} 到 {max} 之间的数（实际为“{value}”）。",
  },
  'train.err_norm': {
    en: "Unknown normalization “{value}”: the choices are {choices}.",
    zh: "未知的归一化“{value}”：可选的有 {choices}。",
  },
  'train.err_norms_empty': {
    en: "Choose at least one normalization to train.",
    zh: "请至少选择一种归一化来训练。",
  },
  'train.err_norms_repeat': {
    en: "Each normalization can race once.",
    zh: "每种归一化只能参加一次比较。",
  },
  'train.err_optimizer': {
    en: "The optimizer must be one of {choices} (got “{value}”).",
    zh: "优化器必须是 {choices} 之一（实际为“{value}”）。",
  },
  'train.err_steps': {
    en: "The number of steps must be a whole number from {min} to {max} (got “{value}”).",
    zh: "训练步数必须是 {min} 到 {max} 之间的整数（实际为“{value}”）。",
  },
  'train.err_sweep': {
    en: "The examples per sweep run must be a multiple of {min} (the largest batch size) from {min} to {max} (got “{value}”).",
    zh: "扫描中每次训练的样本数必须是 {min}（最大的批大小）的倍数，范围为 {min} 到 {max}（实际为“{value}”）。",
  },
  'train.grads_desc': {
    en: "Gradient norms up to step {step}, one panel per layer ({layers}), log scale. Latest values:",
    zh: "截至第 {step} 步的梯度范数，每层一个面板（{layers}），对数刻度。最新值：",
  },
  'train.grads_hint': {
    en: "The length of each linear layer’s weight gradient, on a log scale: where normalization shows its effect on training. Like the loss, each curve is a moving average over about 10 steps (the tables give the same smoothed numbers).",
    zh: "每个线性层权重梯度的长度（对数刻度）：归一化对训练的作用在这里显现。与损失一样，每条曲线都是约 10 步的滑动平均（表格给出同样平滑后的数值）。",
  },
  'train.grads_model': {
    en: "{norm}: {values}.",
    zh: "{norm}：{values}。",
  },
  'train.grads_title': {
    en: "Gradient norms per layer",
    zh: "每层的梯度范数",
  },
  'train.groups': {
    en: "GroupNorm groups",
    zh: "GroupNorm 组数",
  },
  'train.hidden': {
    en: "Hidden layers",
    zh: "隐藏层",
  },
  'train.hint_batch': {
    en: "2 to 256 examples per step",
    zh: "每步 2 到 256 个样本",
  },
  'train.hint_bn_stats': {
    en: "At small batches the two differ: the gap is BatchNorm’s train/eval gap.",
    zh: "批较小时两者不同：这个差距就是 BatchNorm 在训练与评估模式之间的差距。",
  },
  'train.hint_groups': {
    en: "must divide every hidden size",
    zh: "必须整除每个隐藏层的大小",
  },
  'train.hint_hidden': {
    en: "units per layer, 16 to 64, such as 32,32",
    zh: "每层单元数，16 到 64，例如 32,32",
  },
  'train.hint_lr': {
    en: "above 0, at most 1; such as 0.01",
    zh: "大于 0，不超过 1，例如 0.01",
  },
  'train.hint_noise': {
    en: "0 to 0.5",
    zh: "0 到 0.5",
  },
  'train.hint_seed': {
    en: "the data, the initial weights and the batch order",
    zh: "决定数据、初始权重和批次顺序",
  },
  'train.hint_steps': {
    en: "10 to 5000",
    zh: "10 到 5000",
  },
  'train.intro': {
    en: "The same small network (2 inputs, the hidden layers, softmax cross-entropy) trains once per normalization, side by side: the same initial weights, the same batches, a normalization layer after each hidden linear layer. Every number is computed here, in your browser.",
    zh: "同一个小网络（2 个输入、隐藏层、softmax 交叉熵）对每种归一化各训练一次，并排比较：相同的初始权重、相同的批次，每个隐藏线性层之后接一个归一化层。每个数字都在你的浏览器中计算。",
  },
  'train.legend': {
    en: "The models",
    zh: "各个模型",
  },
  'train.load_failed': {
    en: "The training lab could not be loaded: {message}",
    zh: "训练实验无法加载：{message}",
  },
  'train.loading': {
    en: "Loading the training lab…",
    zh: "正在加载训练实验…",
  },
  'train.loss_desc': {
    en: "Step {step} of {steps}.",
    zh: "第 {step} 步，共 {steps} 步。",
  },
  'train.loss_hint': {
    en: "The loss is each step’s batch loss, as a moving average over about 10 steps; the accuracy is on the whole test set after each step.",
    zh: "损失是每一步的批次损失，取约 10 步的滑动平均；准确率是每一步之后在整个测试集上测得的。",
  },
  'train.lr': {
    en: "Learning rate",
    zh: "学习率",
  },
  'train.model_summary': {
    en: "{norm}: loss {loss}, test accuracy {acc}%.",
    zh: "{norm}：损失 {loss}，测试准确率 {acc}%。",
  },
  'train.network_title': {
    en: "Network",
    zh: "网络",
  },
  'train.noise': {
    en: "Noise",
    zh: "噪声",
  },
  'train.norm_batch': {
    en: "BatchNorm1d",
    zh: "BatchNorm1d（批归一化）",
  },
  'train.norm_group': {
    en: "GroupNorm",
    zh: "GroupNorm（组归一化）",
  },
  'train.norm_instance': {
    en: "InstanceNorm1d",
    zh: "InstanceNorm1d（实例归一化）",
  },
  'train.norm_layer': {
    en: "LayerNorm",
    zh: "LayerNorm（层归一化）",
  },
  'train.norm_none': {
    en: "no normalization",
    zh: "无归一化",
  },
  'train.norm_rms': {
    en: "RMSNorm",
    zh: "RMSNorm（均方根归一化）",
  },
  'train.norms': {
    en: "Normalizations to race",
    zh: "参加比较的归一化",
  },
  'train.numbers': {
    en: "Show the numbers of these plots",
    zh: "显示这些图的数值",
  },
  'train.numbers_empty': {
    en: "Nothing trained yet: press Start.",
    zh: "尚未训练：请点击“开始”。",
  },
  'train.open_full': {
    en: "Open this race in normlab ↗",
    zh: "在 normlab 中打开这次训练比较 ↗",
  },
  'train.opt_adam': {
    en: "Adam",
    zh: "Adam（自适应矩估计）",
  },
  'train.opt_sgd': {
    en: "SGD with momentum 0.9",
    zh: "带动量 0.9 的 SGD",
  },
  'train.optimizer': {
    en: "Optimizer",
    zh: "优化器",
  },
  'train.pause': {
    en: "Pause",
    zh: "暂停",
  },
  'train.race_title': {
    en: "The race",
    zh: "训练比较",
  },
  'train.regions_desc': {
    en: "After step {step}; test accuracy {acc}%.",
    zh: "第 {step} 步之后；测试准确率 {acc}%。",
  },
  'train.regions_hint': {
    en: "Each model’s predicted class over the plane (stronger where it is confident), with the training points.",
    zh: "每个模型在平面上预测的类别（越确定颜色越深），以及训练数据点。",
  },
  'train.regions_of': {
    en: "Decision regions: {norm}",
    zh: "决策区域：{norm}",
  },
  'train.regions_title': {
    en: "Decision regions",
    zh: "决策区域",
  },
  'train.reset': {
    en: "Reset",
    zh: "重置",
  },
  'train.resume': {
    en: "Resume",
    zh: "继续",
  },
  'train.said_done': {
    en: "Training finished after {steps} steps.",
    zh: "训练完成，共 {steps} 步。",
  },
  'train.said_paused': {
    en: "Paused at step {step}.",
    zh: "已在第 {step} 步暂停。",
  },
  'train.said_reset': {
    en: "Back to step 0.",
    zh: "已回到第 0 步。",
  },
  'train.said_resumed': {
    en: "Resumed at step {step}.",
    zh: "从第 {step} 步继续。",
  },
  'train.said_started': {
    en: "Training started.",
    zh: "训练已开始。",
  },
  'train.said_sweep_done': {
    en: "The batch-size sweep has finished.",
    zh: "批大小扫描已完成。",
  },
  'train.said_sweep_paused': {
    en: "The batch-size sweep is paused.",
    zh: "批大小扫描已暂停。",
  },
  'train.said_sweep_resumed': {
    en: "The batch-size sweep goes on.",
    zh: "批大小扫描已继续。",
  },
  'train.said_sweep_started': {
    en: "The batch-size sweep has started.",
    zh: "批大小扫描已开始。",
  },
  'train.seed': {
    en: "Seed",
    zh: "随机种子",
  },
  'train.start': {
    en: "Start",
    zh: "开始",
  },
  'train.step_of': {
    en: "step {step} of {steps}",
    zh: "第 {step} 步，共 {steps} 步",
  },
  'train.steps': {
    en: "Steps",
    zh: "训练步数",
  },
  'train.sweep_again': {
    en: "Run the sweep again",
    zh: "重新扫描",
  },
  'train.sweep_empty': {
    en: "No sweep run yet.",
    zh: "尚未运行扫描。",
  },
  'train.sweep_examples': {
    en: "Examples per run",
    zh: "每次训练的样本数",
  },
  'train.sweep_hint': {
    en: "Trains every chosen normalization at batch sizes {sizes} on the same number of examples (so fewer steps at larger batches) and plots the final test error: Figure 1 of Wu and He’s Group Normalization paper, in miniature, measured here.",
    zh: "在批大小 {sizes} 下，用相同数量的样本训练每种选中的归一化（批越大步数越少），并画出最终测试错误率：Wu 和 He 的 Group Normalization 论文图 1 的缩小版，在这里实测。",
  },
  'train.sweep_model': {
    en: "{norm}: {points}.",
    zh: "{norm}：{points}。",
  },
  'train.sweep_pause': {
    en: "Pause the sweep",
    zh: "暂停扫描",
  },
  'train.sweep_point': {
    en: "batch {batch}: {error}% error",
    zh: "批大小 {batch}：错误率 {error}%",
  },
  'train.sweep_progress': {
    en: "Sweep progress",
    zh: "扫描进度",
  },
  'train.sweep_reset': {
    en: "Clear the sweep",
    zh: "清除扫描",
  },
  'train.sweep_resume': {
    en: "Resume the sweep",
    zh: "继续扫描",
  },
  'train.sweep_run': {
    en: "Run the batch-size sweep",
    zh: "运行批大小扫描",
  },
  'train.sweep_title': {
    en: "The batch-size sweep",
    zh: "批大小扫描",
  },
  'train.title': {
    en: "Train it live: does normalization help a network learn?",
    zh: "实时训练：归一化能帮助网络学习吗？",
  },
  'train.training_title': {
    en: "Training",
    zh: "训练",
  },
  'train.warn': {
    en: "Ignored the training setting {name}=“{value}” from the link.",
    zh: "已忽略链接中的训练设置 {name}=“{value}”。",
  },

  'use.batch_norm': {
    en: "Convolutional networks for images, trained with large batches.",
    zh: "图像卷积网络，使用较大的批次训练。",
  },
  'use.group_norm': {
    en: "Detection and segmentation with small batches; diffusion U-Nets.",
    zh: "小批次的检测与分割；扩散模型的 U-Net。",
  },
  'use.instance_norm': {
    en: "Style transfer and image generation: each image and channel on its own.",
    zh: "风格迁移和图像生成：每张图像的每个通道独立归一化。",
  },
  'use.layer_norm': {
    en: "NLP and Transformers: each token’s features, any sequence length.",
    zh: "NLP 与 Transformer：对每个词元的特征归一化，适用于任意长度的序列。",
  },
  'use.rms_norm': {
    en: "Large language models (LLaMA, T5): cheaper than LayerNorm, no mean.",
    zh: "大语言模型（LLaMA、T5）：比 LayerNorm 更省计算，不减均值。",
  },

  'warn.code': {
    en: "The code in the link is longer than {max} characters: only the first {max} are used.",
    zh: "链接中的代码超过 {max} 个字符，只使用前 {max} 个。",
  },
  'warn.data': {
    en: "The values in the link could not be read; random values are used instead.",
    zh: "链接中的数值无法读取，已改用随机数。",
  },
  'warn.lang': {
    en: "Unknown language “{value}” in the link.",
    zh: "链接中的语言“{value}”未知。",
  },
  'warn.layer': {
    en: "The layer “{value}” in the link could not be read; it keeps its place, with its error.",
    zh: "链接中的层“{value}”无法读取，它保留在原位并显示错误。",
  },
  'warn.layers_extra': {
    en: "The link has more than {max} layers; the rest are ignored.",
    zh: "链接中的层超过 {max} 个，多余的已忽略。",
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
