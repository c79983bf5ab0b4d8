/**
 * WAV in, the 16 kHz mono 16-bit PCM WAV the offline recogniser needs out: PCM of 8 to 32 bits and
 * 32-bit float, any channel count and rate (downmixed, then resampled by averaging over each output
 * sample's span, which also keeps speech-band aliasing down). Written here because no WAV library is
 * installed and the format is a dozen fields; anything else is refused with the reason.
 */

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export const SPEECH_RATE = 16_000;

interface WavFormat {
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

/** The mono samples in [-1, 1] and their rate. */
export function decodeWav(bytes: Buffer): { samples: Float32Array; sampleRate: number } {
  if (
    bytes.length < 12 ||
    bytes.toString('ascii', 0, 4) !== 'RIFF' ||
    bytes.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new WavFormatError('the body is not a WAV file (no RIFF/WAVE header)');
  }
  let format: WavFormat | null = null;
  let data: Buffer | null = null;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = bytes.subarray(offset + 8, Math.min(bytes.length, offset + 8 + size));
    if (id === 'fmt ') format = readFormat(body);
    if (id === 'data') data = body;
    offset += 8 + size + (size % 2);
  }
  if (!format) throw new WavFormatError('the WAV file has no fmt chunk');
  if (!data) throw new WavFormatError('the WAV file has no data chunk');
  const bytesPerSample = format.bitsPerSample / 8;
  const frameBytes = bytesPerSample * format.channels;
  const frames = Math.floor(data.length / frameBytes);
  const read = sampleReader(format);
  const samples = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < format.channels; channel++) {
      sum += read(data, frame * frameBytes + channel * bytesPerSample);
    }
    samples[frame] = sum / format.channels;
  }
  return { samples, sampleRate: format.sampleRate };
}

export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const ratio = from / to;
  const out = new Float32Array(Math.floor(samples.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const start = i * ratio;
    const end = Math.min(samples.length, start + Math.max(1, ratio));
    if (ratio <= 1) {
      // Upsampling: interpolate between the two nearest input samples.
      const left = Math.floor(start);
      const right = Math.min(samples.length - 1, left + 1);
      const t = start - left;
      out[i] = samples[left]! * (1 - t) + samples[right]! * t;
      continue;
    }
    let sum = 0;
    let count = 0;
    for (let j = Math.floor(start); j < end; j++) {
      sum += samples[j]!;
      count++;
    }
    out[i] = count > 0 ? sum / count : 0;
  }
  return out;
}

export function encodeWav16(samples: Float32Array, sampleRate: number): Buffer {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), 44 + i * 2);
  }
  return out;
}

/** Any supported WAV as 16 kHz mono 16-bit PCM, with its length in seconds. */
export function toSpeechWav(bytes: Buffer): { wav: Buffer; seconds: number } {
  const { samples, sampleRate } = decodeWav(bytes);
  const speech = resample(samples, sampleRate, SPEECH_RATE);
  return { wav: encodeWav16(speech, SPEECH_RATE), seconds: speech.length / SPEECH_RATE };
}
