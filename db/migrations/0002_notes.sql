-- Hand edit: both tables are WITHOUT ROWID so that no implicit, insertion-ordered rowid groups
-- one person's notes (SPEC section 7). drizzle-kit does not express this in the schema.
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`item_id` text NOT NULL,
	`kind` text NOT NULL,
	`theme_ids` text NOT NULL,
	`text` text NOT NULL,
	`attribution_mode` text NOT NULL,
	`author_tag` text,
	`author_user_id` text,
	`client_id` text,
	`status` text NOT NULL,
	`merged_into_id` text,
	`highlighted` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `agenda_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `notes_session_item` ON `notes` (`session_id`,`item_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `notes_client_unique` ON `notes` (`session_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `session_secrets` (
	`session_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
