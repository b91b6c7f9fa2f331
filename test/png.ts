import zlib from 'node:zlib';

/** Reads pixels of the 8-bit, non-interlaced RGB(A) PNGs a browser's screenshot makes. */
const decode = (png: Buffer): {width: number; height: number; channels: number; data: Buffer} => {
	const width = png.readUInt32BE(16);
	const height = png.readUInt32BE(20);
	const colorType = png[25]!;
	const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
	if (png[24] !== 8 || channels === 0 || png[28] !== 0) {
		throw new Error(`Only 8-bit RGB(A) PNGs without interlacing are read here (bit depth ${png[24]}, color type ${colorType})`);
	}
	const idat: Buffer[] = [];
	for (let offset = 8; offset < png.length; ) {
		const length = png.readUInt32BE(offset);
		if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') {
			idat.push(png.subarray(offset + 8, offset + 8 + length));
		}
		offset += length + 12;
	}
	const raw = zlib.inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const data = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)]!;
		for (let x = 0; x < stride; x++) {
			const value = raw[y * (stride + 1) + 1 + x]!;
			const left = x >= channels ? data[y * stride + x - channels]! : 0;
			const up = y > 0 ? data[(y - 1) * stride + x]! : 0;
			const upLeft = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels]! : 0;
			const paeth = () => {
				const p = left + up - upLeft;
				const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
				return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
			};
			const predicted = [0, left, up, (left + up) >> 1, paeth()][filter]!;
			data[y * stride + x] = (value + predicted) & 0xff;
		}
	}
	return {width, height, channels, data};
};

export const PNG = {
	/** The [r, g, b] at a point given as fractions of the width and height. */
	pixel: (png: Buffer, fx: number, fy: number): [number, number, number] => {
		const {width, height, channels, data} = decode(png);
		const offset = (Math.floor(fy * (height - 1)) * width + Math.floor(fx * (width - 1))) * channels;
		return [data[offset]!, data[offset + 1]!, data[offset + 2]!];
	},
};
