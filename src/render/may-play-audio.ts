import type {RenderJob} from '../backend/render-record.js';

// Remotion's exports that put audio in a render (and its Internals, which could), as whole names.
const AUDIO_ELEMENTS = /\b(Audio|Html5Audio|Video|Html5Video|OffthreadVideo|Internals)\b/;

/**
 * Whether a render's frames may play audio: a deployed site always may; a code render only if its
 * compiled module names one of Remotion's audio or video elements. A render that plays none needs
 * no padded audio for its live segments (seamless-audio.ts): Remotion would evaluate 2-3 frames
 * on each side of every chunk for it, which on the benchmark's heavy composition was a tenth of
 * the renderer's CPU. A module that reaches an element by a computed name is taken for silent:
 * its live stream's audio may click at the joins, while its stitched output stays exact.
 */
export const mayPlayAudio = ({site, inputProps}: Pick<RenderJob, 'site' | 'inputProps'>): boolean =>
	site.kind !== 'builtin' || AUDIO_ELEMENTS.test(String(inputProps.js ?? ''));
