// Where Serverless SQL v1alpha1 wire names (snake_case) meet model names (camelCase); no map of its crosses the wire
// untouched.
import { scalewayMarshalling } from "../../marshalling";

export const serverlessMarshalling = scalewayMarshalling();
