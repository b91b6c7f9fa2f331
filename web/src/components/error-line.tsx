/** A message that something went wrong, announced to screen readers; nothing when there is none. */
export const ErrorLine = ({message, className = ''}: {message: string | null; className?: string}) =>
	message === null ? null : (
		<p className={`error ${className}`.trim()} role="alert">
			{message}
		</p>
	);
