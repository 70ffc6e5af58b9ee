CREATE TABLE `agenda_items` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`planned_ms` integer NOT NULL,
	`panelists` text DEFAULT '' NOT NULL,
	`attribution_mode` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`extended_ms` integer DEFAULT 0 NOT NULL,
	`elapsed_before_ms` integer DEFAULT 0 NOT NULL,
	`running_since` integer,
	`started_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agenda_session` ON `agenda_items` (`session_id`,`position`);