// The source document's code, verbatim (../shared/seed/, in Chinese): the page's
// preset loads it into the code box, and tests/source-doc.test.js checks it is
// still the document's text.
export const SOURCE_CODE = `import torch
import torch.nn as nn

# 创建一个张量
x = torch.rand(2, 3, 4)  # (batch_size, num_features, height/width)

# Layer Normalization
layer_norm = nn.LayerNorm(x.size()[1:])  # 对最后一个维度进行归一化
layer_normalized = layer_norm(x)

print("LayerNorm 结果:\\n", layer_normalized)

# Instance Normalization
instance_norm = nn.InstanceNorm2d(3, affine=True)  # 3 是通道数
instance_normalized = instance_norm(x)

print("InstanceNorm 结果:\\n", instance_normalized)
`;
