import{I as t,D as o}from"./flowDiagram-MIYXRJYK-BuKkhrWK.js";import"./chunk-A3LLD7C6-Do3y6Mfg.js";import"./chunk-CG7VIXT6-Q5OdKqdM.js";import"./chunk-AEP47HME-CBF-9_WG.js";import{m as e}from"./mermaid.esm.min-BaSm722A.js";import"./chunk-C7QCCU7L-CX4KeADD.js";import"../index-xOwnMVQw.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
