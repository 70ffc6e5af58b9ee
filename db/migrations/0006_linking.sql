CREATE TABLE `recommendation_links` (
	`id` text PRIMARY KEY NOT NULL,
	`source_recommendation_id` text NOT NULL,
	`target_session_id` text NOT NULL,
	`target_recommendation_id` text,
	`relation` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`source_recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_session_id`) REFERENCES `dialogue_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "links_target_needed" CHECK(("recommendation_links"."relation" = 'not_retained') = ("recommendation_links"."target_recommendation_id" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `links_source` ON `recommendation_links` (`source_recommendation_id`);--> statement-breakpoint
CREATE INDEX `links_target` ON `recommendation_links` (`target_recommendation_id`);--> statement-breakpoint
CREATE INDEX `links_target_session` ON `recommendation_links` (`target_session_id`);--> statement-breakpoint
CREATE INDEX `sessions_parent` ON `dialogue_sessions` (`parent_session_id`);--> statement-breakpoint
-- One link per local recommendation and target recommendation, and one "not retained" per local
-- recommendation and consolidating session.
CREATE UNIQUE INDEX `links_unique` ON `recommendation_links` (`source_recommendation_id`, `target_session_id`, ifnull(`target_recommendation_id`, ''));
