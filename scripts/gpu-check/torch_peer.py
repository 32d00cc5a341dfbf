"""The dense peer of scripts/gpu-check.sh: PyTorch's nn.LSTM on the GPU.

    python3 torch_peer.py INPUT HIDDEN SEQ_LEN BATCH REPEATS

Prints "torch nn.LSTM T=.. B=.. median_us=.. per_step_us=.. (torch X, cuDNN Y,
GPU)" or "SKIP <reason>". PyTorch gets its best configuration for this shape:
cuDNN's persistent/fused LSTM (torch.backends.cudnn enabled, benchmark mode
on, the default), float32 with TF32 disabled so that it computes what
ht-mlir computes, inference mode, weights and inputs resident on the GPU,
one call per sample with a synchronisation after it.
"""
import statistics
import sys
import time


def main() -> int:
    input_size, hidden, seq_len, batch, repeats = (int(a) for a in sys.argv[1:6])
    try:
        import torch
    except ImportError:
        print("SKIP PyTorch is not installed here")
        return 1
    if not torch.cuda.is_available():
        print(f"SKIP PyTorch {torch.__version__} sees no CUDA device")
        return 1
    torch.backends.cudnn.enabled = True
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda")
    lstm = torch.nn.LSTM(input_size, hidden).to(device).eval()
    x = torch.full((seq_len, batch, input_size), 0.01, device=device)
    samples = []
    with torch.inference_mode():
        for index in range(repeats + 3):
            torch.cuda.synchronize()
            start = time.perf_counter()
            lstm(x)
            torch.cuda.synchronize()
            if index >= 3:
                samples.append((time.perf_counter() - start) * 1e6)
    call = statistics.median(samples)
    print(f"torch nn.LSTM T={seq_len} B={batch} median_us={call:.1f} "
          f"per_step_us={call / seq_len:.1f} (torch {torch.__version__}, cuDNN "
          f"{torch.backends.cudnn.version()}, {torch.cuda.get_device_name()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
