// The queues of the pipeline: the only place that knows BullMQ's names.
export const QUEUE_NAMES = ['poll', 'ingest', 'assess', 'act', 'meetings', 'reviews', 'evidence'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
