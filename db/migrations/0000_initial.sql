CREATE TABLE `account_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_tokens_token_hash_unique` ON `account_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `addressees` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`label_en` text NOT NULL,
	`label_fr` text NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor_user_id` text,
	`action` text NOT NULL,
	`programme_id` text,
	`session_id` text,
	`target_id` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_programme` ON `audit_log` (`programme_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_session` ON `audit_log` (`session_id`,`at`);--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `auth_sessions_user` ON `auth_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `dialogue_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`level_id` text NOT NULL,
	`locality_id` text,
	`parent_session_id` text,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`co_hosts` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`languages` text NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`time_zone` text NOT NULL,
	`attribution_mode` text NOT NULL,
	`note_visibility` text NOT NULL,
	`roster_visible_to_room` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`join_code` text,
	`ended_at` integer,
	`finalised_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`level_id`) REFERENCES `levels`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`locality_id`) REFERENCES `localities`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `sessions_programme` ON `dialogue_sessions` (`programme_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_join_code_unique` ON `dialogue_sessions` (`join_code`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`role` text NOT NULL,
	`roster_entry_id` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`roster_entry_id`) REFERENCES `roster_entries`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_hash_unique` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_session` ON `invitations` (`session_id`);--> statement-breakpoint
CREATE TABLE `levels` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`key` text NOT NULL,
	`label_en` text NOT NULL,
	`label_fr` text NOT NULL,
	`rank` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `levels_key_unique` ON `levels` (`programme_id`,`key`);--> statement-breakpoint
CREATE TABLE `localities` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`parent_id` text,
	`level_id` text NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`level_id`) REFERENCES `levels`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `localities_programme` ON `localities` (`programme_id`);--> statement-breakpoint
CREATE INDEX `localities_parent` ON `localities` (`parent_id`);--> statement-breakpoint
CREATE TABLE `programme_members` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programme_members_unique` ON `programme_members` (`programme_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `programmes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`quorum_percent` integer DEFAULT 50 NOT NULL,
	`consensus_percent` integer DEFAULT 80 NOT NULL,
	`broad_support_permille` integer DEFAULT 667 NOT NULL,
	`retention_days` integer DEFAULT 365 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `roster_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`name` text NOT NULL,
	`short_forms` text NOT NULL,
	`organisation` text DEFAULT '' NOT NULL,
	`acronyms` text NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`country` text DEFAULT '' NOT NULL,
	`role` text NOT NULL,
	`category` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `roster_session` ON `roster_entries` (`session_id`);--> statement-breakpoint
CREATE TABLE `session_members` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_members_unique` ON `session_members` (`session_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `session_members_user` ON `session_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `themes` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`label_en` text NOT NULL,
	`label_fr` text NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`password_hash` text,
	`display_name` text,
	`is_guest` integer DEFAULT false NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`locale` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);