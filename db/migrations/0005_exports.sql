CREATE TABLE `instance` (
	`singleton` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "instance_singleton" CHECK("instance"."singleton" = 1)
);
--> statement-breakpoint
CREATE TABLE `session_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`publication_number` integer NOT NULL,
	`source_instance_id` text NOT NULL,
	`source_instance_name` text NOT NULL,
	`source_software_version` text NOT NULL,
	`format_version` integer NOT NULL,
	`exported_at` integer NOT NULL,
	`imported_at` integer NOT NULL,
	`content_sha256` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_imports_unique` ON `session_imports` (`session_id`,`publication_number`);--> statement-breakpoint
CREATE INDEX `session_imports_source` ON `session_imports` (`source_instance_id`);