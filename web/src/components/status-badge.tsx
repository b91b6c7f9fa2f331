export const StatusBadge = ({status}: {status: string}) => <span className={`badge badge-${status}`}>{status}</span>;
