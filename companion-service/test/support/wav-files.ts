import { createWriteStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** WAV recordings for tests, built sample by sample or streamed to disk when they are large. */

export interface WavShape {
  sampleRate: number;
  channels: number;
  /** 8, 16, 24 or 32 (PCM), or 'float' for 32-bit float. */
  bits: 8 | 16 | 24 | 32 | 'float';
}

function header(dataBytes: number, { sampleRate, channels, bits }: WavShape): Buffer {
  const bytesPerSample = bits === 'float' ? 4 : bits / 8;
  const out = Buffer.alloc(44);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(bits === 'float' ? 3 : 1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  out.writeUInt16LE(channels * bytesPerSample, 32);
  out.writeUInt16LE(bits === 'float' ? 32 : bits, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  return out;
}

function frames(samples: Float32Array, shape: WavShape): Buffer {
  const bytesPerSample = shape.bits === 'float' ? 4 : shape.bits / 8;
  const out = Buffer.alloc(samples.length * shape.channels * bytesPerSample);
  samples.forEach((sample, i) => {
    const s = Math.max(-1, Math.min(1, sample));
    for (let c = 0; c < shape.channels; c++) {
      const at = (i * shape.channels + c) * bytesPerSample;
      if (shape.bits === 'float') out.writeFloatLE(s, at);
      else if (shape.bits === 8) out.writeUInt8(Math.round(s * 127) + 128, at);
      else out.writeIntLE(Math.round(s * (2 ** (shape.bits - 1) - 1)), at, bytesPerSample);
    }
  });
  return out;
}

/** Every channel carries `samples`. */
export function wavBytes(samples: Float32Array, shape: WavShape): Buffer {
  const data = frames(samples, shape);
  return Buffer.concat([header(data.length, shape), data]);
}

/** The samples and rate of a 16-bit PCM mono WAV (what the speech converter writes, and the fixture). */
export function readMonoPcm16(bytes: Buffer): { samples: Float32Array; sampleRate: number } {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF') throw new Error('not a WAV file');
  const sampleRate = bytes.readUInt32LE(24);
  const dataBytes = bytes.readUInt32LE(40);
  const samples = new Float32Array(dataBytes / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(44 + i * 2) / 32768;
  return { samples, sampleRate };
}

export async function scratchFile(bytes: Buffer, name = 'recording'): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'scribe-test-')), name);
  await writeFile(file, bytes);
  return file;
}

/**
 * A WAV file of about `totalBytes` written a block at a time: `speech` (if any) first, then a quiet
 * hum to the end, so the file is as large as asked while the test holds only a block of it.
 */
export async function writeLargeWav(
  file: string,
  totalBytes: number,
  shape: WavShape,
  speech: Float32Array<ArrayBufferLike> = new Float32Array(0),
): Promise<void> {
  const bytesPerFrame = (shape.bits === 'float' ? 4 : shape.bits / 8) * shape.channels;
  const totalFrames = Math.floor((totalBytes - 44) / bytesPerFrame);
  const blockFrames = 16_384;
  await pipeline(async function* () {
    yield header(totalFrames * bytesPerFrame, shape);
    for (let start = 0; start < totalFrames; start += blockFrames) {
      const block = new Float32Array(Math.min(blockFrames, totalFrames - start));
      for (let i = 0; i < block.length; i++) {
        const n = start + i;
        block[i] =
          n < speech.length ? speech[n]! : 0.001 * Math.sin((2 * Math.PI * 120 * n) / shape.sampleRate);
      }
      yield frames(block, shape);
    }
  }, createWriteStream(file));
}
