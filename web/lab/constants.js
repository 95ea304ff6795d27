// Numbers the lab's modules share.

/** torch.finfo(torch.float32).eps, 2^-23 = 1.1920928955078125e-07: the eps
 * RMSNorm uses when it is given eps=None (its default). */
export const FLOAT32_EPS = 2 ** -23;
