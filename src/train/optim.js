// torch.optim.SGD (momentum; dampening 0, nesterov false, weight_decay 0) and
// torch.optim.Adam (amsgrad false, weight_decay 0), torch 1.13's single-tensor
// code path (foreach=False, its default), each elementwise op rounded to
// float32 where torch's kernel rounds. Measured on this machine's torch 1.13
// (AVX2 kernels): a Python scalar enters a float32 op as a float32; add_(t,
// alpha) and addcmul_ are fused multiply-adds (one rounding); addcdiv_ rounds
// value * t1, then / t2, then the sum. A product of two float32 values is
// exact in a double, so fround(a + b * c) is that fused op here (rarely off
// by an ulp through double rounding). The scalar bias corrections are Python
// floats (float64), as in torch.
//
// An optimizer takes [{ data, grad }] (MLP.parameters()) and step() updates
// every data in place from its grad.

const f32 = Math.fround;

function checkParams(params) {
  if (!Array.isArray(params) || !params.every((p) => p?.data instanceof Float32Array && p.grad instanceof Float32Array
    && p.data.length === p.grad.length)) {
    throw new TypeError('params must be an array of { data, grad } Float32Arrays of equal length (MLP.parameters())');
  }
}

function checkRate(name, value, { positive = false, below1 = false } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  }
  if (value < 0 || (positive && value === 0) || (below1 && value >= 1)) {
    throw new RangeError(`${name} must be ${positive ? '> 0' : '>= 0'}${below1 ? ' and < 1' : ''}, got ${value}`);
  }
}

/** torch.optim.SGD(params, lr, momentum): buf = momentum * buf + grad (buf = grad at first), p -= lr * buf. */
export class SGD {
  constructor(params, { lr, momentum = 0 } = {}) {
    checkParams(params);
    checkRate('lr', lr, { positive: true });
    checkRate('momentum', momentum);
    this.params = params;
    this.lr = lr;
    this.momentum = momentum;
    this.buffers = null; // momentum buffers, made by the first step (torch clones the first grad)
  }

  step() {
    const m = f32(this.momentum);
    const negLr = f32(-this.lr);
    const first = this.buffers === null;
    if (first && this.momentum !== 0) this.buffers = this.params.map((p) => Float32Array.from(p.grad));
    this.params.forEach(({ data, grad }, k) => {
      const buf = this.momentum !== 0 ? this.buffers[k] : grad;
      if (this.momentum !== 0 && !first) {
        for (let i = 0; i < buf.length; i++) buf[i] = f32(buf[i] * m) + grad[i]; // mul_, then add_ (rounds on store)
      }
      for (let i = 0; i < data.length; i++) data[i] += negLr * buf[i]; // add_(buf, alpha=-lr), fused
    });
  }
}

/** torch.optim.Adam(params, lr, betas, eps), with torch 1.13's bias correction. */
export class Adam {
  constructor(params, { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8 } = {}) {
    checkParams(params);
    checkRate('lr', lr, { positive: true });
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new TypeError(`betas must be an array of two numbers, got ${JSON.stringify(betas)}`);
    }
    checkRate('betas[0]', betas[0], { below1: true });
    checkRate('betas[1]', betas[1], { below1: true });
    checkRate('eps', eps);
    this.params = params;
    this.lr = lr;
    this.betas = [...betas];
    this.eps = eps;
    this.stepCount = 0;
    this.expAvg = params.map((p) => new Float32Array(p.data.length));
    this.expAvgSq = params.map((p) => new Float32Array(p.data.length));
  }

  step() {
    const [beta1, beta2] = this.betas;
    const t = ++this.stepCount;
    // Python floats, as torch: step_size = lr / (1 - beta1^t), sqrt(1 - beta2^t)
    const negStepSize = f32(-(this.lr / (1 - beta1 ** t)));
    const bc2Sqrt = f32(Math.sqrt(1 - beta2 ** t));
    const b1 = f32(beta1);
    const b2 = f32(beta2);
    const c1 = f32(1 - beta1);
    const c2 = f32(1 - beta2);
    const eps = f32(this.eps);
    this.params.forEach(({ data, grad }, k) => {
      const m = this.expAvg[k];
      const v = this.expAvgSq[k];
      for (let i = 0; i < data.length; i++) {
        const g = grad[i];
        m[i] = f32(m[i] * b1) + c1 * g; // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        v[i] = f32(v[i] * b2) + f32(c2 * g) * g; // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        const denom = f32(f32(f32(Math.sqrt(v[i])) / bc2Sqrt) + eps); // (exp_avg_sq.sqrt() / bc2_sqrt).add_(eps)
        data[i] += f32(f32(negStepSize * m[i]) / denom); // addcdiv_(exp_avg, denom, value=-step_size)
      }
    });
  }
}
