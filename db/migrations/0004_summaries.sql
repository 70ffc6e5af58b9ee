CREATE TABLE `notices` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`session_id` text NOT NULL,
	`read_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notices_user` ON `notices` (`user_id`,`read_at`);--> statement-breakpoint
CREATE TABLE `publications` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`number` integer NOT NULL,
	`language` text NOT NULL,
	`visibility` text NOT NULL,
	`title` text NOT NULL,
	`markdown` text NOT NULL,
	`change_note` text DEFAULT '' NOT NULL,
	`imported_from` text,
	`published_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `publications_number_unique` ON `publications` (`session_id`,`number`);--> statement-breakpoint
CREATE INDEX `publications_published` ON `publications` (`published_at`);--> statement-breakpoint
CREATE TABLE `summaries` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`language` text NOT NULL,
	`list_panelists` integer DEFAULT false NOT NULL,
	`visibility` text DEFAULT 'public' NOT NULL,
	`markdown` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`review_deadline` integer,
	`circulated_at` integer,
	`updated_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `summaries_session_id_unique` ON `summaries` (`session_id`);--> statement-breakpoint
-- Hand edit: comments are WITHOUT ROWID so that no insertion-ordered rowid groups them (SPEC section 7).
CREATE TABLE `summary_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`summary_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`author_tag` text,
	`author_user_id` text,
	`resolved` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`summary_id`) REFERENCES `summaries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `summary_comments_summary` ON `summary_comments` (`summary_id`);--> statement-breakpoint
CREATE TABLE `summary_overrides` (
	`id` text PRIMARY KEY NOT NULL,
	`summary_id` text NOT NULL,
	`finding_key` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`summary_id`) REFERENCES `summaries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `summary_overrides_unique` ON `summary_overrides` (`summary_id`,`finding_key`);--> statement-breakpoint
CREATE TABLE `summary_secrets` (
	`summary_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	FOREIGN KEY (`summary_id`) REFERENCES `summaries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand edit: published versions are immutable; a correction is a new row.
CREATE TRIGGER `publications_immutable` BEFORE UPDATE ON `publications` BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
