import { createReadStream, createWriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/**
 * A WAV file in, the 16 kHz mono 16-bit PCM WAV file the offline recogniser needs out: PCM of 8 to
 * 32 bits and 32-bit float, any channel count and rate (downmixed, then resampled by averaging over
 * each output sample's span, which also keeps speech-band aliasing down). The samples are read,
 * converted and written a block at a time, so a memo of any length costs the same memory. Written
 * here because no WAV library is installed and the format is a dozen fields; anything else is
 * refused with the reason.
 */

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export const SPEECH_RATE = 16_000;

/** How much of the recording is in memory at once. */
const BLOCK_BYTES = 64 * 1024;
/** A recorder writes a handful of chunks; thousands is a file built to make the reader work. */
const MAX_CHUNKS = 1_000;

export interface WavFormat {
  encoding: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

function readFormat(chunk: Buffer): WavFormat {
  if (chunk.length < 16) throw new WavFormatError('the fmt chunk is too short');
  let tag = chunk.readUInt16LE(0);
  // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
  if (tag === 0xfffe && chunk.length >= 26) tag = chunk.readUInt16LE(24);
  const format: WavFormat = {
    encoding: tag === 3 ? 'float' : 'pcm',
    channels: chunk.readUInt16LE(2),
    sampleRate: chunk.readUInt32LE(4),
    bitsPerSample: chunk.readUInt16LE(14),
  };
  if (tag !== 1 && tag !== 3)
    throw new WavFormatError(`the audio is compressed (WAV format tag ${tag}); send PCM WAV`);
  if (format.channels < 1 || format.channels > 8)
    throw new WavFormatError(`${format.channels} channels is not a voice recording`);
  if (format.sampleRate < 4000 || format.sampleRate > 192_000) {
    throw new WavFormatError(`a sample rate of ${format.sampleRate} Hz is not supported`);
  }
  const supported = format.encoding === 'float' ? [32] : [8, 16, 24, 32];
  if (!supported.includes(format.bitsPerSample)) {
    throw new WavFormatError(`${format.bitsPerSample}-bit ${format.encoding} samples are not supported`);
  }
  return format;
}

function sampleReader(format: WavFormat): (data: Buffer, offset: number) => number {
  if (format.encoding === 'float') return (d, o) => d.readFloatLE(o);
  switch (format.bitsPerSample) {
    case 8:
      return (d, o) => (d.readUInt8(o) - 128) / 128;
    case 16:
      return (d, o) => d.readInt16LE(o) / 32768;
    case 24:
      return (d, o) => d.readIntLE(o, 3) / 8388608;
    default:
      return (d, o) => d.readInt32LE(o) / 2147483648;
  }
}

/** Where a WAV file's samples are and how they are written, read from its chunk headers alone. */
export interface WavLayout {
  format: WavFormat;
  dataOffset: number;
  dataBytes: number;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

export async function readWavLayout(path: string): Promise<WavLayout> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const riff = await readAt(file, 0, 12);
    if (
      riff.length < 12 ||
      riff.toString('ascii', 0, 4) !== 'RIFF' ||
      riff.toString('ascii', 8, 12) !== 'WAVE'
    ) {
      throw new WavFormatError('the body is not a WAV file (no RIFF/WAVE header)');
    }
    let format: WavFormat | null = null;
    let data: { offset: number; bytes: number } | null = null;
    let chunks = 0;
    for (let offset = 12; offset + 8 <= size;) {
      if (++chunks > MAX_CHUNKS) throw new WavFormatError(`the WAV file has over ${MAX_CHUNKS} chunks`);
      const header = await readAt(file, offset, 8);
      const id = header.toString('ascii', 0, 4);
      const chunkSize = header.readUInt32LE(4);
      const bytes = Math.min(size - offset - 8, chunkSize);
      // The fmt chunk is 16 to 40 bytes; only its first 26 are read, whatever it claims.
      if (id === 'fmt ') format = readFormat(await readAt(file, offset + 8, Math.min(bytes, 26)));
      if (id === 'data') data = { offset: offset + 8, bytes };
      offset += 8 + chunkSize + (chunkSize % 2);
    }
    if (!format) throw new WavFormatError('the WAV file has no fmt chunk');
    if (!data) throw new WavFormatError('the WAV file has no data chunk');
    return { format, dataOffset: data.offset, dataBytes: data.bytes };
  } finally {
    await file.close();
  }
}

/**
 * Resampling a block at a time: each output sample is computed exactly as over the whole signal at
 * once, as soon as the input it spans has arrived, and input no output still needs is let go.
 */
export class Resampler {
  private readonly ratio: number;
  private carry = new Float32Array(0);
  /** The index, in the whole input, of carry[0]. */
  private base = 0;
  private received = 0;
  private produced = 0;

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {
    this.ratio = from / to;
  }

  push(samples: Float32Array): Float32Array {
    if (this.from === this.to) return samples;
    const joined = new Float32Array(this.carry.length + samples.length);
    joined.set(this.carry);
    joined.set(samples, this.carry.length);
    this.carry = joined;
    this.received += samples.length;
    return this.drain(false);
  }

  end(): Float32Array {
    if (this.from === this.to) return new Float32Array(0);
    return this.drain(true);
  }

  private drain(ended: boolean): Float32Array {
    const { ratio } = this;
    const total = Math.floor(this.received / ratio);
    const out: number[] = [];
    for (let i = this.produced; !ended || i < total; i++) {
      const start = i * ratio;
      const left = Math.floor(start);
      if (ratio <= 1) {
        // Upsampling: interpolate between the two nearest input samples.
        if (!ended && left + 1 >= this.received) break;
        const right = Math.min(this.received - 1, left + 1);
        const t = start - left;
        out.push(this.at(left) * (1 - t) + this.at(right) * t);
        continue;
      }
      const spanEnd = start + ratio;
      if (!ended && Math.ceil(spanEnd) > this.received) break;
      const end = Math.min(this.received, spanEnd);
      let sum = 0;
      let count = 0;
      for (let j = left; j < end; j++) {
        sum += this.at(j);
        count++;
      }
      out.push(count > 0 ? sum / count : 0);
    }
    this.produced += out.length;
    const keepFrom = Math.min(this.received, Math.floor(this.produced * ratio));
    this.carry = this.carry.slice(keepFrom - this.base);
    this.base = keepFrom;
    return Float32Array.from(out);
  }

  private at(index: number): number {
    return this.carry[index - this.base]!;
  }
}

export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

function pcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), i * 2);
  }
  return out;
}

/** Any supported WAV file as a 16 kHz mono 16-bit PCM WAV file at `output` (0600), with its length in seconds. */
export async function convertToSpeechWav(input: string, output: string): Promise<{ seconds: number }> {
  const { format, dataOffset, dataBytes } = await readWavLayout(input);
  const bytesPerSample = format.bitsPerSample / 8;
  const frameBytes = bytesPerSample * format.channels;
  const usable = dataBytes - (dataBytes % frameBytes);
  const read = sampleReader(format);
  const resampler = new Resampler(format.sampleRate, SPEECH_RATE);
  let written = 0;

  async function* convert(blocks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
    yield wavHeader(0, SPEECH_RATE);
    let rest: Buffer = Buffer.alloc(0);
    for await (const block of blocks) {
      const bytes = rest.length ? Buffer.concat([rest, block]) : block;
      const frames = Math.floor(bytes.length / frameBytes);
      const mono = new Float32Array(frames);
      for (let frame = 0; frame < frames; frame++) {
        let sum = 0;
        for (let channel = 0; channel < format.channels; channel++) {
          sum += read(bytes, frame * frameBytes + channel * bytesPerSample);
        }
        mono[frame] = sum / format.channels;
      }
      rest = bytes.subarray(frames * frameBytes);
      const speech = resampler.push(mono);
      written += speech.length;
      yield pcm16(speech);
    }
    const last = resampler.end();
    written += last.length;
    yield pcm16(last);
  }

  const samples =
    usable > 0
      ? createReadStream(input, {
          start: dataOffset,
          end: dataOffset + usable - 1,
          highWaterMark: BLOCK_BYTES,
        })
      : [];
  await pipeline(samples, convert, createWriteStream(output, { flags: 'wx', mode: 0o600 }));
  // The header was written before the length was known; it is put right now.
  const file = await open(output, 'r+');
  try {
    await file.write(wavHeader(written * 2, SPEECH_RATE), 0, 44, 0);
  } finally {
    await file.close();
  }
  return { seconds: written / SPEECH_RATE };
}
