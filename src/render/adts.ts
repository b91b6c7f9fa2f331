/**
 * Splits an ADTS stream (raw AAC as ffmpeg's `-f adts` writes it) into its frames, each with its
 * own header. The frame length is the 13 bits from the 31st bit of the header on.
 */
export const adtsFrames = (stream: Buffer): Buffer[] => {
	const frames: Buffer[] = [];
	for (let offset = 0; offset < stream.length; ) {
		if (offset + 7 > stream.length || stream[offset] !== 0xff || (stream[offset + 1]! & 0xf0) !== 0xf0) {
			throw new Error(`not an ADTS frame at byte ${offset} of ${stream.length}`);
		}
		const length = ((stream[offset + 3]! & 0x03) << 11) | (stream[offset + 4]! << 3) | (stream[offset + 5]! >> 5);
		if (length < 7 || offset + length > stream.length) {
			throw new Error(`an ADTS frame of ${length} bytes at byte ${offset} runs past the stream's ${stream.length}`);
		}
		frames.push(stream.subarray(offset, offset + length));
		offset += length;
	}
	return frames;
};
