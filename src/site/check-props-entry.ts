import {getInputProps, Internals} from 'remotion';

// Added last to the webpack entry of a deployed site's bundle (see bundleProject): before Remotion
// resolves a composition for a render, its props are checked against the <Composition>'s zod
// schema, so that props it rejects fail at submit with the field and the reason (Remotion itself
// checks them only in the Studio).

type Calculate = (compositionId: string) => Promise<unknown>;
type SafeParse = (value: unknown) => {success: true} | {success: false; error: {issues: {path: PropertyKey[]; message: string}[]}};

const page = window as unknown as {remotion_calculateComposition?: Calculate};
const calculate = page.remotion_calculateComposition;

if (calculate) {
	page.remotion_calculateComposition = (compositionId) => {
		const composition = Internals.compositionsRef.current?.getCompositions().find((candidate) => candidate.id === compositionId);
		const schema = composition?.schema as {safeParse?: SafeParse} | undefined;
		if (composition && typeof schema?.safeParse === 'function') {
			const result = schema.safeParse({...(composition.defaultProps ?? {}), ...getInputProps()});
			if (!result.success) {
				const issues = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(the props)'}: ${issue.message}`);
				return Promise.reject(new Error(`The props do not match the schema of the composition "${compositionId}": ${issues.join('; ')}`));
			}
		}
		return calculate(compositionId);
	};
}
