import {javascript} from '@codemirror/lang-javascript';
import {setDiagnostics} from '@codemirror/lint';
import {EditorState} from '@codemirror/state';
import {EditorView, keymap} from '@codemirror/view';
import {indentWithTab} from '@codemirror/commands';
import {basicSetup} from 'codemirror';
import {useEffect, useRef} from 'react';

export type EditorMark = {line: number; column: number; message: string} | null;

/** CodeMirror 6 with TSX highlighting; `mark` underlines where the compiler stopped. */
export const CodeEditor = ({value, onChange, mark}: {value: string; onChange: (value: string) => void; mark: EditorMark}) => {
	const host = useRef<HTMLDivElement>(null);
	const view = useRef<EditorView | null>(null);
	const changed = useRef(onChange);
	changed.current = onChange;

	useEffect(() => {
		const editor = new EditorView({
			parent: host.current!,
			state: EditorState.create({
				doc: value,
				extensions: [
					basicSetup,
					// Tab indents; Escape then Tab leaves the editor (CodeMirror's keyboard escape hatch).
					keymap.of([indentWithTab]),
					javascript({jsx: true, typescript: true}),
					EditorView.contentAttributes.of({'aria-label': 'Component code'}),
					EditorView.updateListener.of((update) => {
						if (update.docChanged) {
							changed.current(update.state.doc.toString());
						}
					}),
				],
			}),
		});
		view.current = editor;
		return () => editor.destroy();
		// The document is the editor's own after the first render; `value` only seeds it.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);

	// An example picked from outside replaces the document.
	useEffect(() => {
		const editor = view.current;
		if (editor !== null && editor.state.doc.toString() !== value) {
			editor.dispatch({changes: {from: 0, to: editor.state.doc.length, insert: value}});
		}
	}, [value]);

	useEffect(() => {
		const editor = view.current;
		if (editor === null) {
			return;
		}
		const doc = editor.state.doc;
		if (mark === null || mark.line < 1 || mark.line > doc.lines) {
			editor.dispatch(setDiagnostics(editor.state, []));
			return;
		}
		const line = doc.line(mark.line);
		const from = Math.min(line.from + Math.max(0, mark.column), line.to);
		editor.dispatch(setDiagnostics(editor.state, [{from, to: Math.max(from, line.to), severity: 'error', message: mark.message}]));
	}, [mark]);

	return <div className="editor" ref={host} />;
};
