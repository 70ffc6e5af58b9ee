-- Hand edit: positions are WITHOUT ROWID so that no implicit, insertion-ordered rowid orders or groups
-- them (SPEC section 7). drizzle-kit does not express this in the schema.
CREATE TABLE `positions` (
	`id` text PRIMARY KEY NOT NULL,
	`vote_id` text NOT NULL,
	`option` text NOT NULL,
	`voter_tag` text,
	FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE UNIQUE INDEX `positions_voter_unique` ON `positions` (`vote_id`,`voter_tag`);--> statement-breakpoint
CREATE TABLE `recommendation_revisions` (
	`id` text PRIMARY KEY NOT NULL,
	`recommendation_id` text NOT NULL,
	`round` integer NOT NULL,
	`text` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `revisions_recommendation` ON `recommendation_revisions` (`recommendation_id`,`round`);--> statement-breakpoint
CREATE TABLE `recommendation_sources` (
	`recommendation_id` text NOT NULL,
	`note_id` text NOT NULL,
	PRIMARY KEY(`recommendation_id`, `note_id`),
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`note_id`) REFERENCES `notes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `recommendations` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`item_id` text,
	`text` text NOT NULL,
	`addressee_id` text,
	`theme_id` text,
	`horizon` text,
	`status` text NOT NULL,
	`round` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `agenda_items`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`addressee_id`) REFERENCES `addressees`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `recommendations_session` ON `recommendations` (`session_id`);--> statement-breakpoint
CREATE TABLE `votes` (
	`id` text PRIMARY KEY NOT NULL,
	`recommendation_id` text NOT NULL,
	`round` integer NOT NULL,
	`scale` text NOT NULL,
	`eligible` integer NOT NULL,
	`hidden_tally` integer DEFAULT false NOT NULL,
	`hands_headcount` integer,
	`hands` text,
	`declared_level` text,
	`result` text,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `votes_recommendation` ON `votes` (`recommendation_id`,`round`);--> statement-breakpoint
ALTER TABLE `dialogue_sessions` ADD `scale` text DEFAULT 'agree_abstain_disagree' NOT NULL;--> statement-breakpoint
ALTER TABLE `dialogue_sessions` ADD `show_numbers` integer DEFAULT true NOT NULL;