/** The reason a task is aborted when its worker stops: the task is handed back, not failed. */
export class WorkerStopping extends Error {
	override readonly name = 'WorkerStopping';
}
