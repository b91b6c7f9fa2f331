import {percent} from '../format';

/** A render's overall progress, with its value for screen readers and tests. */
export const ProgressBar = ({value, status}: {value: number; status: string}) => (
	<div className={`progress progress-${status}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)} data-progress={value}>
		<div className="progress-fill" style={{width: percent(value)}} />
		<span className="progress-label">{percent(value)}</span>
	</div>
);
