import { Body, Controller, Get, Post } from "@nestjs/common";

interface Todo {
  id: number;
  title: string;
}

@Controller("todos")
export class TodosController {
  private readonly todos: Todo[] = [];

  @Get()
  list(): Todo[] {
    return this.todos;
  }

  @Post()
  add(@Body() body: { title?: string }): Todo {
    const todo = { id: this.todos.length + 1, title: body.title ?? "untitled" };
    this.todos.push(todo);
    return todo;
  }
}
