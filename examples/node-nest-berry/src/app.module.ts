import { Module } from "@nestjs/common";
import { HealthController } from "./health.controller";
import { TodosController } from "./todos.controller";

@Module({
  controllers: [HealthController, TodosController],
})
export class AppModule {}
