#!/usr/bin/env python3
"""Peer of `crit bench transformer`: the training step of the same small causal transformer in
PyTorch, written as a skilled user would.

Model: token embeddings (64 x 128) plus learned positions (64 x 128), 4 pre-LN blocks (fused
QKV projection without bias, 4 heads through torch's fused scaled_dot_product_attention with
is_causal=True, output projection without bias, MLP 128 -> 512 -> 128 with exact GELU), final
LayerNorm, readout to 64 logits. Data: the copy task (a random first half of 32 tokens,
repeated), cross-entropy on positions 32..62, batch 32, batches drawn beforehand. Adam
(lr 1e-3) in its fused CPU form where torch has it, else foreach. Timed in eager mode and
compiled (torch.compile of the whole step: forward, loss, backward); the median of five
timings of STEPS steps after warm-up, at the given thread count (intra-op threads; one
inter-op thread).

Prints one JSON object: torch version, threads, seconds per step per mode (a mode that fails,
e.g. compilation without a C++ compiler, gives its error instead).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = torch.nn.LayerNorm(width)
        self.qkv = torch.nn.Linear(width, 3 * width, bias=False)
        self.out = torch.nn.Linear(width, width, bias=False)
        self.norm2 = torch.nn.LayerNorm(width)
        self.fc1 = torch.nn.Linear(width, 4 * width)
        self.fc2 = torch.nn.Linear(4 * width, width)

    def forward(self, x):
        b, l, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(d, dim=2)
        shape = (b, l, self.heads, d // self.heads)
        q, k, v = (t.view(shape).transpose(1, 2) for t in (q, k, v))
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.out(a.transpose(1, 2).reshape(b, l, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Transformer(torch.nn.Module):
    def __init__(self, vocabulary, length, width, heads, depth):
        super().__init__()
        self.tokens = torch.nn.Embedding(vocabulary, width)
        self.positions = torch.nn.Parameter(torch.randn(length, width))
        self.blocks = torch.nn.ModuleList(Block(width, heads) for _ in range(depth))
        self.norm = torch.nn.LayerNorm(width)
        self.readout = torch.nn.Linear(width, vocabulary)

    def forward(self, tokens):
        x = self.tokens(tokens) + self.positions
        for block in self.blocks:
            x = block(x)
        return self.readout(self.norm(x))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--modes", default="eager,compiled")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    depth, width, heads, length, vocabulary, batch = 4, 128, 4, 64, 64, 32
    half = length // 2
    batches = []
    for _ in range(8):
        first = torch.randint(0, vocabulary, (batch, half))
        tokens = torch.cat([first, first], dim=1)
        batches.append((tokens, tokens[:, half + 1:]))

    results = {"torch": torch.__version__, "threads": args.threads, "steps": args.steps}
    for mode in args.modes.split(","):
        try:
            model = Transformer(vocabulary, length, width, heads, depth)
            try:
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
                optimizer_form = "fused"
            except (RuntimeError, TypeError):
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
                optimizer_form = "foreach"

            def loss_of(tokens, targets):
                logits = model(tokens)[:, half:length - 1]
                return F.cross_entropy(logits.reshape(-1, vocabulary), targets.reshape(-1))

            def forward_backward(tokens, targets):
                loss = loss_of(tokens, targets)
                loss.backward()
                return loss

            run = torch.compile(forward_backward) if mode == "compiled" else forward_backward
            counter = [0]

            def step():
                tokens, targets = batches[counter[0] % len(batches)]
                counter[0] += 1
                optimizer.zero_grad(set_to_none=True)
                loss = run(tokens, targets)
                optimizer.step()
                return loss

            for _ in range(3):
                step()
            timings = []
            for _ in range(5):
                start = time.perf_counter()
                for _ in range(args.steps):
                    loss = step()
                timings.append(time.perf_counter() - start)
            results[mode] = {
                "secondsPerStep": statistics.median(timings) / args.steps,
                "finalLoss": loss.item(),
                "adam": optimizer_form,
            }
        except Exception as error:  # a mode that cannot run says why
            results[mode] = {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
